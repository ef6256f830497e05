"""CWE-94/95: ``eval`` of data -> ``ast.literal_eval`` when the data is a Python literal."""

from __future__ import annotations

import ast
import re

import libcst as cst

from mamori.domain import FixerId, RiskClass
from mamori.fix.codemods._base import (
    CodemodFixer,
    Edit,
    FixContext,
    Import,
    positional,
    single_assignment,
)
from mamori.fix.codemods._template import parse_template
from mamori.fix.interface import Declined, FixerInfo

# Variable names that say the value is an expression to compute, not a literal to read.
_EXPRESSION_NAMES = re.compile(r"expr|formula|calc|code|math|script|equation|lambda", re.I)


def _strings_in(node: cst.CSTNode) -> list[str]:
    """The values of the plain string constants in ``node`` (defaults, examples)."""
    found: list[str] = []

    class V(cst.CSTVisitor):
        def visit_SimpleString(self, s: cst.SimpleString) -> None:
            value = s.evaluated_value
            if isinstance(value, str):
                found.append(value)

    node.visit(V())
    return found


def _is_literal(text: str) -> bool:
    try:
        ast.literal_eval(text)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return False
    return True


class EvalLiteralFixer(CodemodFixer):
    info = FixerInfo(
        id=FixerId("mamori:fix/eval-literal"),
        title="Read literal data with ast.literal_eval instead of eval",
        cwes=(94, 95),
        risk=RiskClass.MEDIUM,
        risk_reason=(
            "for data written as Python literals (numbers, strings, lists, dicts, tuples, sets,"
            " booleans, None) the result is the same; any input that was an expression"
            " (arithmetic, names, calls) now raises ValueError, which the project's tests must"
            " show is not relied on"
        ),
        description=(
            "Replaces `eval(data)` (one argument, no globals/locals) with"
            " `ast.literal_eval(data)` when nothing says the input is an expression. Declines,"
            " for a person to review, `exec`/`compile`/`__import__`, `eval` with explicit"
            " globals or locals, a string built with code around the value, a variable whose"
            " name says it holds an expression (`expr`, `formula`, ...), or an example or"
            " default value in the code that is not a literal (such as `'1+1'`)."
        ),
    )

    def edit(self, ctx: FixContext) -> Edit | Declined | None:
        for node in ctx.nodes_at_line(cst.Call):
            names = ctx.qualified_names(node.func)
            if names & {"builtins.exec", "builtins.compile", "builtins.__import__"}:
                return Declined(reason="executing data as code has no drop-in safe form")
            if "importlib.import_module" in names:
                return Declined(reason="import a module from an allow-list instead")
            if "builtins.eval" not in names:
                continue
            return self._eval(ctx, node)
        return None

    def _eval(self, ctx: FixContext, node: cst.Call) -> Edit | Declined:
        pos = positional(node)
        if len(node.args) != 1 or len(pos) != 1:
            return Declined(reason="eval with globals/locals evaluates expressions on purpose")
        arg = pos[0].value
        reason = self._expression_hint(ctx, node, arg)
        if reason is not None:
            return Declined(reason=reason)
        new = node.with_changes(func=cst.parse_expression("ast.literal_eval"))
        return Edit(
            replacements={node: new},
            imports=(Import(module="ast"),),
            description=(
                "Parse the value with `ast.literal_eval`, which accepts only Python literals"
                " and never runs code, instead of `eval`."
            ),
        )

    def _expression_hint(
        self, ctx: FixContext, node: cst.Call, arg: cst.BaseExpression
    ) -> str | None:
        """Why the input looks like an expression rather than a literal, or None."""
        template = parse_template(arg)
        if template is not None and template.values:
            return "the evaluated string is built around the value: it is code, not a literal"
        inspected: list[cst.CSTNode] = [arg]
        if isinstance(arg, cst.Name):
            if _EXPRESSION_NAMES.search(arg.value):
                return f"`{arg.value}` names an expression to compute, not a literal"
            assign = single_assignment(ctx, node, arg.value)
            if assign is not None:
                inspected.append(assign.value)
                for t in assign.targets:
                    if isinstance(t.target, cst.Name) and _EXPRESSION_NAMES.search(t.target.value):
                        return f"`{t.target.value}` names an expression, not a literal"
        for part in inspected:
            for text in _strings_in(part):
                if text and _EXPRESSION_NAMES.search(text):
                    return f"the input is named {text!r}: an expression, not a literal"
                # A default or example value (`"1+1"`) that literal_eval would reject.
                if (
                    text
                    and not text.isidentifier()
                    and not _is_literal(text)
                    and (any(c in text for c in "+-*/%()<>=") or text.strip() != text)
                ):
                    return f"the example value {text!r} is an expression, not a literal"
        return None
