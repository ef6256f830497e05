"""CWE-78: a shell command built from strings -> an argument list run without a shell."""

from __future__ import annotations

import shlex

import libcst as cst

from mamori.domain import FixerId, RiskClass
from mamori.fix.codemods._base import (
    CodemodFixer,
    Edit,
    FixContext,
    Import,
    fstring_node,
    is_true,
    keyword,
    positional,
    remove_args,
    string_node,
)
from mamori.fix.codemods._template import Lit, Template, Val, parse_template
from mamori.fix.interface import FixerInfo

_SUBPROCESS = {
    "subprocess.run",
    "subprocess.call",
    "subprocess.check_call",
    "subprocess.check_output",
    "subprocess.Popen",
}
# Characters a POSIX shell gives a meaning that an argument list would not reproduce.
_META = set("|&;<>()$`\\*?[]#~{}!\n\r")
_PLAIN = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./:=,@+% ")
_MARK_OPEN, _MARK_CLOSE = "\ue000", "\ue001"


def split_command(
    template: Template, module: cst.Module
) -> tuple[list[cst.BaseExpression], bool] | None:
    """The command as argument-list elements, and whether its literal parts are plain words.

    Literal parts are split with ``shlex.split`` semantics; each interpolated value becomes one
    argument (that is the point: the shell no longer re-splits or interprets it). None when the
    literal parts use shell syntax that the list form would change.
    """
    text = ""
    values: list[Val] = []
    for part in template.parts:
        if isinstance(part, Lit):
            if _META & set(part.text) or _MARK_OPEN in part.text or _MARK_CLOSE in part.text:
                return None
            text += part.text
        else:
            if not part.plain:
                return None
            text += f"{_MARK_OPEN}{len(values)}{_MARK_CLOSE}"
            values.append(part)
    plain = set(template.literal_text) <= _PLAIN
    try:
        tokens = shlex.split(text)
    except ValueError:
        return None
    if not tokens:
        return None
    elements: list[cst.BaseExpression] = []
    used: set[int] = set()
    for tok in tokens:
        pieces: list[str | cst.BaseExpression] = []
        rest = tok
        while _MARK_OPEN in rest:
            before, _, after = rest.partition(_MARK_OPEN)
            idx_text, _, rest = after.partition(_MARK_CLOSE)
            if before:
                pieces.append(before)
            idx = int(idx_text)
            if idx in used:
                return None
            used.add(idx)
            pieces.append(values[idx].expr)
        if rest:
            pieces.append(rest)
        if len(pieces) == 1 and not isinstance(pieces[0], str):
            elements.append(pieces[0])
        elif all(isinstance(p, str) for p in pieces):
            elements.append(string_node("".join(p for p in pieces if isinstance(p, str))))
        else:
            fs = fstring_node(pieces, module)
            if fs is None:
                return None
            elements.append(fs)
    if len(used) != len(values):
        return None  # a value vanished in the split (e.g. inside an empty quoted word)
    return elements, plain


def _list(elements: list[cst.BaseExpression]) -> cst.List:
    last = len(elements) - 1
    return cst.List(
        elements=[
            cst.Element(
                e,
                comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
                if i < last
                else cst.MaybeSentinel.DEFAULT,
            )
            for i, e in enumerate(elements)
        ]
    )


class SubprocessShellFixer(CodemodFixer):
    info = FixerInfo(
        id=FixerId("mamori:fix/subprocess-shell"),
        title="Run commands as an argument list, without a shell",
        cwes=(78,),
        risk=RiskClass.LOW,
        risk_reason=(
            "for the plain words the command is built from, the argument list runs the same"
            " program with the same arguments; only shell interpretation of the interpolated"
            " values goes away"
        ),
        description=(
            "Rewrites `subprocess.run/call/check_call/check_output/Popen(cmd, shell=True)` where"
            " `cmd` is built by f-string, concatenation, `%` or `.format` into an argument list"
            " (the literal parts split like `shlex.split`, each interpolated value its own"
            " argument) and drops `shell=True`; `os.system(cmd)` becomes"
            " `subprocess.run([...], check=False).returncode` and `os.popen(cmd).read()`"
            " becomes `subprocess.run([...], capture_output=True, text=True, check=False)"
            ".stdout`. Declines when the literal parts"
            " use shell syntax (pipes, redirections, `;`, `&&`, `$`, globbing, backquotes)"
            " that an argument list would not reproduce."
        ),
    )

    def edit(self, ctx: FixContext) -> Edit | None:
        for node in ctx.nodes_at_line(cst.Call):
            names = ctx.qualified_names(node.func)
            if names & _SUBPROCESS:
                result = self._subprocess(ctx, node)
            elif "os.system" in names:
                result = self._os_system(ctx, node)
            elif "os.popen" in names:
                result = self._os_popen(ctx, node)
            else:
                continue
            if result is not None:
                return result
        return None

    def _subprocess(self, ctx: FixContext, node: cst.Call) -> Edit | None:
        shell = keyword(node, "shell")
        if shell is None or not is_true(shell.value):
            return None
        pos = positional(node)
        cmd_arg = pos[0] if pos else keyword(node, "args")
        if cmd_arg is None:
            return None
        template = parse_template(cmd_arg.value)
        if template is None:
            return None
        split = split_command(template, ctx.module)
        if split is None:
            return None
        elements, plain = split
        with_list = node.with_changes(
            args=[a.with_changes(value=_list(elements)) if a is cmd_arg else a for a in node.args]
        )
        new = remove_args(with_list, lambda a: a.keyword is not None and a.keyword.value == "shell")
        return Edit(
            replacements={node: new},
            description=(
                "Pass the command as an argument list without `shell=True`, so that interpolated"
                " values are single arguments the shell never interprets."
            ),
            risk=None if plain else RiskClass.MEDIUM,
            risk_reason=None
            if plain
            else "the command's literal parts use quoting; check the split arguments",
        )

    def _os_popen(self, ctx: FixContext, node: cst.Call) -> Edit | None:
        """``os.popen(cmd).read()`` -> ``subprocess.run([...], ...).stdout`` (other uses of the
        pipe object are left to a person)."""
        pos = positional(node)
        if len(node.args) != 1 or len(pos) != 1:
            return None
        attr = ctx.parent(node)
        outer = ctx.parent(attr) if attr is not None else None
        if not (
            isinstance(attr, cst.Attribute)
            and attr.attr.value == "read"
            and isinstance(outer, cst.Call)
            and outer.func is attr
            and not outer.args
        ):
            return None
        template = parse_template(pos[0].value)
        if template is None:
            return None
        split = split_command(template, ctx.module)
        if split is None:
            return None
        elements, plain = split
        run = cst.parse_expression(
            "subprocess.run(CMD, capture_output=True, text=True, check=False).stdout"
        )
        assert isinstance(run, cst.Attribute) and isinstance(run.value, cst.Call)
        call = run.value
        call = call.with_changes(
            args=[call.args[0].with_changes(value=_list(elements)), *call.args[1:]]
        )
        new = run.with_changes(value=call, lpar=outer.lpar, rpar=outer.rpar)
        return Edit(
            replacements={outer: new},
            imports=(Import(module="subprocess"),),
            description=(
                "Replace `os.popen(command string).read()` with `subprocess.run([...],"
                " capture_output=True, text=True, check=False).stdout` and an argument list,"
                " so that no shell interprets the interpolated values."
            ),
            risk=None if plain else RiskClass.MEDIUM,
            risk_reason=None
            if plain
            else "the command's literal parts use quoting; check the split arguments",
        )

    def _os_system(self, ctx: FixContext, node: cst.Call) -> Edit | None:
        pos = positional(node)
        if len(node.args) != 1 or len(pos) != 1:
            return None
        template = parse_template(pos[0].value)
        if template is None:
            return None
        split = split_command(template, ctx.module)
        if split is None:
            return None
        elements, plain = split
        run = cst.Call(
            func=cst.parse_expression("subprocess.run"),
            args=[
                cst.Arg(
                    _list(elements), comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
                ),
                cst.Arg(
                    cst.Name("False"),
                    keyword=cst.Name("check"),
                    equal=cst.AssignEqual(
                        whitespace_before=cst.SimpleWhitespace(""),
                        whitespace_after=cst.SimpleWhitespace(""),
                    ),
                ),
            ],
        )
        new = cst.Attribute(value=run, attr=cst.Name("returncode"), lpar=node.lpar, rpar=node.rpar)
        # os.system returns a wait status (exit code << 8 on POSIX), returncode the exit code:
        # equal for the common `== 0` test, different when the number itself is used.
        parent = ctx.parent(node)
        used = not isinstance(parent, cst.Expr)
        risky = used or not plain
        return Edit(
            replacements={node: new},
            imports=(Import(module="subprocess"),),
            description=(
                "Replace `os.system(command string)` with `subprocess.run([...], check=False)`"
                " and an argument list, so that no shell interprets the interpolated values."
            ),
            risk=RiskClass.MEDIUM if risky else None,
            risk_reason=(
                "os.system returned a wait status, `.returncode` is the exit code; and/or the"
                " command's literal parts use quoting"
                if risky
                else None
            ),
        )
