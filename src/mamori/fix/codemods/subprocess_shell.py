"""CWE-78: a shell command built from strings -> an argument list run without a shell."""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass

import libcst as cst

from mamori.domain import FixerId, RiskClass
from mamori.fix.codemods._base import (
    CodemodFixer,
    Edit,
    FixContext,
    Import,
    Replacement,
    dotted,
    fstring_node,
    function_params,
    is_true,
    keyword,
    positional,
    quote_text,
    remove_args,
    single_assignment,
    string_node,
)
from mamori.fix.codemods._template import Lit, Template, Val, parse_template
from mamori.fix.interface import Declined, FixerInfo

_SUBPROCESS = {
    "subprocess.run",
    "subprocess.call",
    "subprocess.check_call",
    "subprocess.check_output",
    "subprocess.Popen",
}
# Calls that always run their command through a shell.
_ALWAYS_SHELL = {"subprocess.getoutput", "subprocess.getstatusoutput"}
# Characters a POSIX shell gives a meaning that an argument list would not reproduce.
_META = set("|&;<>()$`\\*?[]#~{}!\n\r")
_PLAIN = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./:=,@+% ")
_MARK_OPEN, _MARK_CLOSE = "\ue000", "\ue001"
_SHELLS = {"sh", "bash", "/bin/sh", "/bin/bash", "/usr/bin/sh", "/usr/bin/bash"}
_ENV_ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")


def split_command(
    template: Template,
    module: cst.Module,
    numeric: Callable[[cst.BaseExpression], bool] = lambda _: False,
) -> tuple[list[cst.BaseExpression], bool] | None:
    """The command as argument-list elements, and whether its literal parts are plain words.

    Literal parts are split with ``shlex.split`` semantics; each interpolated value becomes one
    argument (that is the point: the shell no longer re-splits or interprets it). A value that
    ``numeric`` recognises as a number is passed as ``str(value)``, as the string formatting
    did (an argument list takes only strings and paths). None when the literal parts use shell
    syntax that the list form would change.
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
    if not tokens or _ENV_ASSIGNMENT.match(tokens[0]):
        return None  # `LANG=x cmd` sets a variable for cmd: only a shell does that
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
            value = pieces[0]
            if template.kind != "concat" and numeric(value):
                value = cst.Call(func=cst.Name("str"), args=[cst.Arg(value)])
            elements.append(value)
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


def _join_template(node: cst.BaseExpression) -> Template | None:
    """``" ".join([...])`` with literal words and values, read as a command template."""
    if not (
        isinstance(node, cst.Call)
        and isinstance(node.func, cst.Attribute)
        and node.func.attr.value == "join"
        and isinstance(node.func.value, cst.SimpleString)
        and node.func.value.evaluated_value == " "
        and len(node.args) == 1
        and node.args[0].keyword is None
        and not node.args[0].star
        and isinstance(node.args[0].value, cst.List | cst.Tuple)
    ):
        return None
    parts: list[Lit | Val] = []
    for i, el in enumerate(node.args[0].value.elements):
        if not isinstance(el, cst.Element):
            return None  # *starred: the number of words is not known
        if i:
            parts.append(Lit(" "))
        sp = parse_template(el.value)
        if sp is not None and sp.kind == "literal":
            parts.extend(sp.parts)
        else:
            parts.append(Val(el.value, True))
    if not any(isinstance(p, Val) for p in parts):
        return None
    return Template(parts=tuple(parts), kind="join", quote='"')


def _template(expr: cst.BaseExpression) -> Template | None:
    t = parse_template(expr)
    if t is not None and t.values:
        return t
    return _join_template(expr)


def _joined_list(ctx: FixContext, call: cst.Call, expr: cst.BaseExpression) -> cst.Name | None:
    """``" ".join(args)`` where ``args`` is a list of words assigned once before: ``args``."""
    if not (
        isinstance(expr, cst.Call)
        and isinstance(expr.func, cst.Attribute)
        and expr.func.attr.value == "join"
        and isinstance(expr.func.value, cst.SimpleString)
        and expr.func.value.evaluated_value == " "
        and len(expr.args) == 1
        and isinstance(expr.args[0].value, cst.Name)
    ):
        return None
    name = expr.args[0].value
    assign = single_assignment(ctx, call, name.value)
    if assign is None or not isinstance(assign.value, cst.List):
        return None
    for el in assign.value.elements:
        if not isinstance(el, cst.Element):
            return None
        t = parse_template(el.value)
        if t is not None and t.kind == "literal" and not (set(t.literal_text) <= _PLAIN - {" "}):
            return None  # a literal element with spaces or shell syntax: the shell split it
    scope = ctx.enclosing(call, cst.FunctionDef) or ctx.module
    if _writes_to(scope, name.value):
        return None  # appended to or changed after the assignment
    return name


def _writes_to(scope: cst.CSTNode, var: str) -> bool:
    """Whether ``var`` is changed in place (``var.append(...)``, ``var += ...``, ``var[i] =``)."""
    changed = False

    class V(cst.CSTVisitor):
        def visit_Call(self, node: cst.Call) -> None:
            nonlocal changed
            f = node.func
            if (
                isinstance(f, cst.Attribute)
                and isinstance(f.value, cst.Name)
                and f.value.value == var
                and f.attr.value in {"append", "extend", "insert", "pop", "remove", "clear"}
            ):
                changed = True

        def visit_AugAssign(self, node: cst.AugAssign) -> None:
            nonlocal changed
            if isinstance(node.target, cst.Name) and node.target.value == var:
                changed = True

        def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
            nonlocal changed
            t = node.target
            if (
                isinstance(t, cst.Subscript)
                and isinstance(t.value, cst.Name)
                and t.value.value == var
            ):
                changed = True

    scope.visit(V())
    return changed


_NUMERIC_CALLS = {"int", "float", "len", "round", "abs", "sum", "min", "max"}


def _numeric(ctx: FixContext) -> Callable[[cst.BaseExpression], bool]:
    """Whether an expression is (evidently) a number: a number literal, ``int(...)``, a
    parameter annotated or defaulted as one, or a variable assigned once from one."""

    def check(expr: cst.BaseExpression, depth: int = 0) -> bool:
        if isinstance(expr, cst.Integer | cst.Float):
            return True
        if isinstance(expr, cst.Call) and isinstance(expr.func, cst.Name):
            return expr.func.value in _NUMERIC_CALLS
        if isinstance(expr, cst.BinaryOperation) and not isinstance(expr.operator, cst.Add):
            return check(expr.left, depth) or check(expr.right, depth)
        if not isinstance(expr, cst.Name) or depth > 3:
            return False
        fn = ctx.enclosing(expr, cst.FunctionDef)
        if fn is not None:
            p = fn.params
            for param in (*p.posonly_params, *p.params, *p.kwonly_params):
                if param.name.value != expr.value:
                    continue
                ann = param.annotation
                if ann is not None and dotted(ann.annotation) in {"int", "float"}:
                    return True
                return param.default is not None and check(param.default, depth + 1)
        assign = single_assignment(ctx, expr, expr.value)
        return assign is not None and check(assign.value, depth + 1)

    return check


def _steps(ctx: FixContext, call: cst.Call, var: str) -> _Command | str:
    """A command built in steps: ``cmd = "..."`` then ``cmd += "..." + value`` (also under
    ``if``), used only by the call."""
    fn = ctx.enclosing(call, cst.FunctionDef)
    why = f"`{var}` is not assigned exactly once before the call in this function"
    if fn is None:
        return why
    steps: list[cst.Assign | cst.AugAssign] = []

    class V(cst.CSTVisitor):
        def visit_Assign(self, node: cst.Assign) -> None:
            if any(isinstance(t.target, cst.Name) and t.target.value == var for t in node.targets):
                steps.append(node)

        def visit_AugAssign(self, node: cst.AugAssign) -> None:
            if isinstance(node.target, cst.Name) and node.target.value == var:
                steps.append(node)

    fn.body.visit(V())
    line = ctx.position(call).start.line
    if (
        len(steps) < 2
        or not isinstance(steps[0], cst.Assign)
        or len(steps[0].targets) != 1
        or any(isinstance(st, cst.Assign) for st in steps[1:])
        or any(not isinstance(st.operator, cst.AddAssign) for st in steps[1:])  # type: ignore[union-attr]
        or any(ctx.position(st).start.line > line for st in steps)
        or _uses(fn, var) != len(steps) + 1
    ):
        return why
    for st in steps:
        for anc in ctx.ancestors(st):
            if anc is fn:
                break
            if isinstance(anc, cst.For | cst.While):
                return f"`{var}` is built in a loop"
    templates: list[Template] = []
    for st in steps:
        t = parse_template(st.value)
        if t is None:
            return f"a step of `{var}` is not built from literal text and values"
        templates.append(t)
    if not any(t.values for t in templates):
        return f"`{var}` is not built from interpolated values"
    combined = Template(parts=tuple(p for t in templates for p in t.parts), kind="steps", quote='"')
    return _Command(combined, steps[0].value, None, False, steps=tuple(templates))


def _uses(scope: cst.CSTNode, var: str) -> int:
    """How many times the name ``var`` is read or written in ``scope``."""
    count = 0

    class V(cst.CSTVisitor):
        def visit_Name(self, n: cst.Name) -> None:
            nonlocal count
            if n.value == var:
                count += 1

    scope.visit(V())
    return count


def _shell_quotes(text: str, quote: str | None) -> tuple[str | None, bool]:
    """Follow shell quoting through ``text`` from the open ``quote`` (None: unquoted); return the
    quote still open at its end and whether it ends on a dangling backslash."""
    escaped = False
    for ch in text:
        if escaped:
            escaped = False
        elif ch == "\\" and quote != "'":
            escaped = True
        elif quote is None and ch in "'\"":
            quote = ch
        elif ch == quote:
            quote = None
    return quote, escaped


def _unquoted_values(template: Template) -> bool:
    """Whether every interpolated value sits outside shell quotes (so that quoting it with
    ``shlex.quote`` yields exactly one word with the value's text)."""
    quote: str | None = None
    for part in template.parts:
        if isinstance(part, Val):
            if quote is not None or not part.plain:
                return False
            continue
        quote, escaped = _shell_quotes(part.text, quote)
        if escaped:
            return False
    return quote is None


@dataclass
class _Command:
    template: Template
    node: cst.BaseExpression  # the expression that builds the command string
    assign: cst.Assign | None  # its assignment when the command is passed in a variable
    sole_use: bool  # the variable is used only by the call (so it may become a list)
    words: cst.Name | None = None  # a list of words joined with " ": pass the list itself
    steps: tuple[Template, ...] = ()  # built in steps (cmd = ...; cmd += ...): quote each


def _command(ctx: FixContext, call: cst.Call, expr: cst.BaseExpression) -> _Command | str:
    """The command string passed to ``call``, or why it cannot be read."""
    cmd = _read_command(ctx, call, expr)
    if isinstance(cmd, str):
        return cmd
    for t in cmd.steps or (cmd.template,):
        for v in t.values:
            value: cst.BaseExpression | None = v.expr
            if isinstance(v.expr, cst.Name):
                assign = single_assignment(ctx, v.expr, v.expr.value)
                value = assign.value if assign is not None else None
            if (
                isinstance(value, cst.Call)
                and isinstance(value.func, cst.Attribute)
                and value.func.attr.value == "join"
                and isinstance(value.func.value, cst.SimpleString)
                and " " in str(value.func.value.evaluated_value)
            ):
                return (
                    f"`{ctx.code(v.expr)}` holds several words joined for the shell to split:"
                    " as one argument (or one quoted word) it would change the command"
                )
    return cmd


def _read_command(ctx: FixContext, call: cst.Call, expr: cst.BaseExpression) -> _Command | str:
    words = _joined_list(ctx, call, expr)
    if words is not None:
        return _Command(Template(parts=(), kind="list", quote='"'), expr, None, True, words)
    template = _template(expr)
    if template is not None:
        return _Command(template, expr, None, True)
    if not isinstance(expr, cst.Name):
        return "the command is not built from a string in this function"
    fn = ctx.enclosing(call, cst.FunctionDef)
    if fn is not None and expr.value in function_params(fn):
        return (
            f"the command comes whole from the caller (parameter `{expr.value}`): the fix"
            " belongs where it is built, or the commands need an allow-list"
        )
    assign = single_assignment(ctx, call, expr.value)
    if assign is None:
        return _steps(ctx, call, expr.value)
    template = _template(assign.value)
    if template is None:
        return (
            f"`{expr.value}` is not built from literal text and values (the whole command may"
            " come from outside: an allow-list of commands is needed)"
        )
    scope = ctx.enclosing(call, cst.FunctionDef) or ctx.module
    return _Command(template, assign.value, assign, _uses(scope, expr.value) == 2)


def _quoted(ctx: FixContext, cmd: _Command) -> dict[cst.CSTNode, Replacement] | None:
    """Replacements that wrap each interpolated value in ``shlex.quote`` (the shell stays)."""
    if cmd.words is not None:
        join = cst.Call(func=cst.parse_expression("shlex.join"), args=[cst.Arg(cmd.words)])
        return {cmd.node: join}
    if not _unquoted_values(cmd.template):
        return None
    out: dict[cst.CSTNode, Replacement] = {}
    values = [(t.kind, v) for t in cmd.steps or (cmd.template,) for v in t.values]
    for kind, val in values:
        if isinstance(val.expr, cst.Call) and "shlex.quote" in ctx.qualified_names(val.expr.func):
            continue  # quoted already (idempotence)
        expr = val.expr
        if kind not in ("concat", "join"):
            # f-strings, % and .format convert with str(); shlex.quote needs a str
            expr = cst.Call(func=cst.Name("str"), args=[cst.Arg(val.expr)])
        out[val.expr] = cst.Call(func=cst.parse_expression("shlex.quote"), args=[cst.Arg(expr)])
    return out


def _sh_c(ctx: FixContext, cmd: _Command) -> list[cst.BaseExpression] | None:
    """``["sh", "-c", SCRIPT, "sh", v1, v2, ...]``: the command's own shell code as a constant
    script, each interpolated value passed as a positional parameter (``"${1}"``), which the
    shell expands as one word and never parses as code. None when a value's formatting cannot
    be reproduced (a format specification)."""
    if cmd.words is not None or cmd.steps:
        return None
    numeric = _numeric(ctx)
    script = ""
    args: list[cst.BaseExpression] = []
    index: dict[str, int] = {}
    quote: str | None = None
    for part in cmd.template.parts:
        if isinstance(part, Lit):
            quote, escaped = _shell_quotes(part.text, quote)
            if escaped:
                return None
            script += part.text
            continue
        if not part.plain:
            return None
        code = ctx.code(part.expr)
        simple = isinstance(part.expr, cst.Name | cst.Attribute | cst.Subscript)
        if simple and code in index:
            n = index[code]
        else:
            value = part.expr
            if cmd.template.kind not in ("concat", "join") and numeric(value):
                value = cst.Call(func=cst.Name("str"), args=[cst.Arg(value)])
            args.append(value)
            n = index[code] = len(args)
        ref = "${" + str(n) + "}"
        script += {None: f'"{ref}"', '"': ref, "'": f"'\"{ref}\"'"}[quote]
    if quote is not None or not args:
        return None
    q = "'" if '"' in script and "'" not in script else '"'
    return [
        string_node("sh"),
        string_node("-c"),
        cst.SimpleString(quote_text(script, q)),
        string_node("sh"),
        *args,
    ]


def _split(
    ctx: FixContext, cmd: _Command
) -> tuple[list[cst.BaseExpression] | cst.Name, bool] | None:
    """The argument list (elements, or the name of a list of words) and whether it is plain."""
    if cmd.words is not None:
        return cmd.words, True
    if cmd.steps:
        return None  # a string built in steps stays a string for the shell
    split = split_command(cmd.template, ctx.module, _numeric(ctx))
    if split is not None:
        return split
    script = _sh_c(ctx, cmd)
    return None if script is None else (script, False)


def _as_list(elements: list[cst.BaseExpression] | cst.Name) -> cst.BaseExpression:
    return elements if isinstance(elements, cst.Name) else _list(elements)


_QUOTE_DESC = (
    "Quote each interpolated value with `shlex.quote`, so that the shell (still needed for the"
    " command's own shell syntax) reads it as one plain word."
)
_RISK_QUOTING = (
    "the command's literal parts use quoting or shell syntax (kept in a constant `sh -c`"
    " script); check the argument list"
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
            ' `cmd` is built by f-string, concatenation, `%`, `.format` or `" ".join([...])`'
            " (inline, or in a variable assigned once before the call) into an argument list"
            " (the literal parts split like `shlex.split`, each interpolated value its own"
            " argument) and drops `shell=True`; `os.system(cmd)` becomes"
            " `subprocess.run([...], check=False).returncode` and `os.popen(cmd).read()`"
            " becomes `subprocess.run([...], capture_output=True, text=True, check=False)"
            ".stdout`. When the literal parts use shell syntax (pipes, redirections, `;`, `&&`,"
            " `$`, globbing, `VAR=x cmd`) that an argument list would not reproduce, the command"
            ' becomes a constant script run as `["sh", "-c", SCRIPT, "sh", value, ...]` with'
            ' each value a quoted positional parameter (`"${1}"`), as does a built script in'
            ' `["sh", "-c", script]`; a command built in steps (`+=`) or read elsewhere, and'
            " `subprocess.getoutput`, keep their string and wrap each value in `shlex.quote`."
            " Numbers formatted into the command are passed as `str(n)`. Declines, saying why,"
            " when the whole command or program comes from outside, or a value holds several"
            " words for the shell to split."
        ),
    )

    def edit(self, ctx: FixContext) -> Edit | Declined | None:
        declined: Declined | None = None
        for node in ctx.nodes_at_line(cst.Call):
            names = ctx.qualified_names(node.func)
            if names & _SUBPROCESS:
                result = self._subprocess(ctx, node)
            elif "os.system" in names:
                result = self._os_system(ctx, node)
            elif "os.popen" in names:
                result = self._os_popen(ctx, node)
            elif names & _ALWAYS_SHELL:
                result = self._always_shell(ctx, node)
            else:
                continue
            if isinstance(result, Edit):
                return result
            if isinstance(result, Declined) and declined is None:
                declined = result
        return declined

    def _list_edit(
        self,
        cmd: _Command,
        elements: list[cst.BaseExpression] | cst.Name,
        call: cst.Call,
        new_call: cst.Call,
    ) -> dict[cst.CSTNode, Replacement]:
        """Replacements putting the argument list in place: in the variable's assignment when
        only the call uses it, else ``new_call`` (already holding the list) at the call."""
        if cmd.assign is not None and cmd.sole_use:
            return {cmd.assign: cmd.assign.with_changes(value=_as_list(elements)), call: new_call}
        return {call: new_call}

    def _quote_fallback(self, ctx: FixContext, cmd: _Command, why: str) -> Edit | Declined | None:
        quoted = _quoted(ctx, cmd)
        if quoted == {}:
            return None  # every value is quoted already
        if quoted is None:
            return Declined(
                reason=f"{why}; and an interpolated value sits inside shell quotes or uses a format"
                " specification, where `shlex.quote` would change the command"
            )
        return Edit(
            replacements=quoted,
            imports=(Import(module="shlex"),),
            description=_QUOTE_DESC,
        )

    def _subprocess(self, ctx: FixContext, node: cst.Call) -> Edit | Declined | None:
        shell = keyword(node, "shell")
        if shell is None or not is_true(shell.value):
            pos = positional(node)
            first = pos[0].value if pos else None
            script = self._sh_c_list(ctx, node, first)
            if script is not None:
                return script
            if (
                isinstance(first, cst.List | cst.Tuple)
                and first.elements
                and parse_template(first.elements[0].value) is None
            ):
                return Declined(
                    reason="the program to run is not a literal (it may come from input): that"
                    " needs an allow-list of programs, not a rewrite"
                )
            return None
        pos = positional(node)
        cmd_arg = pos[0] if pos else keyword(node, "args")
        if cmd_arg is None:
            return None
        cmd = _command(ctx, node, cmd_arg.value)
        if isinstance(cmd, str):
            return Declined(reason=cmd)
        split = _split(ctx, cmd)
        if split is None or (cmd.assign is not None and not cmd.sole_use):
            why = (
                "the command uses shell syntax an argument list would not reproduce"
                if split is None
                else "the command variable is used elsewhere too"
            )
            return self._quote_fallback(ctx, cmd, why)
        elements, plain = split
        inline = cmd.assign is None
        with_list = node.with_changes(
            args=[
                a.with_changes(value=_as_list(elements)) if a is cmd_arg and inline else a
                for a in node.args
            ]
        )
        new = remove_args(with_list, lambda a: a.keyword is not None and a.keyword.value == "shell")
        return Edit(
            replacements=self._list_edit(cmd, elements, node, new),
            description=(
                "Pass the command as an argument list without `shell=True`, so that interpolated"
                " values are single arguments the shell never interprets."
            ),
            risk=None if plain else RiskClass.MEDIUM,
            risk_reason=None if plain else _RISK_QUOTING,
        )

    def _sh_c_list(
        self, ctx: FixContext, node: cst.Call, first: cst.BaseExpression | None
    ) -> Edit | Declined | None:
        """``["sh", "-c", script]`` with a script built from values: a constant script with the
        values as positional parameters."""
        if not (isinstance(first, cst.List) and len(first.elements) == 3):
            return None
        els = [e.value for e in first.elements]
        prog, flag = (parse_template(e) for e in els[:2])
        if not (
            prog is not None
            and prog.kind == "literal"
            and prog.literal_text in _SHELLS
            and flag is not None
            and flag.literal_text == "-c"
        ):
            return None
        cmd = _command(ctx, node, els[2])
        if isinstance(cmd, str):
            return Declined(reason=cmd)
        if cmd.assign is not None and not cmd.sole_use:
            return Declined(reason="the script variable is used elsewhere too")
        built = _sh_c(ctx, cmd)
        if built is None:
            return Declined(reason="a value in the script uses a format specification")
        script, values = built[2], built[4:]
        replacements: dict[cst.CSTNode, Replacement] = {}
        third = els[2]
        if cmd.assign is not None:
            replacements[cmd.assign] = cmd.assign.with_changes(value=script)
        else:
            third = script
        new_list = _list([els[0], els[1], third, string_node("sh"), *values])
        replacements[first] = new_list.with_changes(lpar=first.lpar, rpar=first.rpar)
        return Edit(
            replacements=replacements,
            description=(
                "Keep the shell script constant and pass the interpolated values as positional"
                ' parameters (`"${1}"`), which the shell expands as single words and never'
                " runs as code."
            ),
            risk=RiskClass.MEDIUM,
            risk_reason=_RISK_QUOTING,
        )

    def _always_shell(self, ctx: FixContext, node: cst.Call) -> Edit | Declined | None:
        """``subprocess.getoutput(cmd)`` always uses a shell (and merges stderr, strips the last
        newline): keep it and quote the values."""
        pos = positional(node)
        if len(node.args) != 1 or len(pos) != 1:
            return None
        cmd = _command(ctx, node, pos[0].value)
        if isinstance(cmd, str):
            return Declined(reason=cmd)
        return self._quote_fallback(ctx, cmd, "`getoutput` always runs a shell")

    def _os_popen(self, ctx: FixContext, node: cst.Call) -> Edit | Declined | None:
        """``os.popen(cmd).read()`` -> ``subprocess.run([...], ...).stdout`` (other uses of the
        pipe object keep `os.popen` with quoted values)."""
        pos = positional(node)
        if len(node.args) != 1 or len(pos) != 1:
            return None
        cmd = _command(ctx, node, pos[0].value)
        if isinstance(cmd, str):
            return Declined(reason=cmd)
        attr = ctx.parent(node)
        outer = ctx.parent(attr) if attr is not None else None
        split = _split(ctx, cmd)
        if not (
            isinstance(attr, cst.Attribute)
            and attr.attr.value == "read"
            and isinstance(outer, cst.Call)
            and outer.func is attr
            and not outer.args
        ):
            return self._quote_fallback(ctx, cmd, "the pipe object is used for more than `.read()`")
        if split is None or (cmd.assign is not None and not cmd.sole_use):
            return self._quote_fallback(
                ctx, cmd, "the command uses shell syntax an argument list would not reproduce"
            )
        elements, plain = split
        run = cst.parse_expression(
            "subprocess.run(CMD, capture_output=True, text=True, check=False).stdout"
        )
        assert isinstance(run, cst.Attribute) and isinstance(run.value, cst.Call)
        call = run.value
        arg: cst.BaseExpression = _as_list(elements) if cmd.assign is None else pos[0].value
        call = call.with_changes(args=[call.args[0].with_changes(value=arg), *call.args[1:]])
        new = run.with_changes(value=call, lpar=outer.lpar, rpar=outer.rpar)
        replacements: dict[cst.CSTNode, Replacement] = {outer: new}
        if cmd.assign is not None:
            replacements[cmd.assign] = cmd.assign.with_changes(value=_as_list(elements))
        return Edit(
            replacements=replacements,
            imports=(Import(module="subprocess"),),
            description=(
                "Replace `os.popen(command string).read()` with `subprocess.run([...],"
                " capture_output=True, text=True, check=False).stdout` and an argument list,"
                " so that no shell interprets the interpolated values."
            ),
            risk=None if plain else RiskClass.MEDIUM,
            risk_reason=None if plain else _RISK_QUOTING,
        )

    def _os_system(self, ctx: FixContext, node: cst.Call) -> Edit | Declined | None:
        pos = positional(node)
        if len(node.args) != 1 or len(pos) != 1:
            return None
        cmd = _command(ctx, node, pos[0].value)
        if isinstance(cmd, str):
            return Declined(reason=cmd)
        split = _split(ctx, cmd)
        if split is None or (cmd.assign is not None and not cmd.sole_use):
            return self._quote_fallback(
                ctx, cmd, "the command uses shell syntax an argument list would not reproduce"
            )
        elements, plain = split
        arg: cst.BaseExpression = _as_list(elements) if cmd.assign is None else pos[0].value
        run = cst.Call(
            func=cst.parse_expression("subprocess.run"),
            args=[
                cst.Arg(arg, comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))),
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
        replacements: dict[cst.CSTNode, Replacement] = {node: new}
        if cmd.assign is not None:
            replacements[cmd.assign] = cmd.assign.with_changes(value=_as_list(elements))
        # os.system returns a wait status (exit code << 8 on POSIX), returncode the exit code:
        # equal for the common `== 0` test, different when the number itself is used.
        parent = ctx.parent(node)
        used = not isinstance(parent, cst.Expr)
        risky = used or not plain
        return Edit(
            replacements=replacements,
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
