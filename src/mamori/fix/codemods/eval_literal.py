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
from mamori.fix.codemods._safety import why_safe
from mamori.fix.codemods._template import parse_template
from mamori.fix.interface import Declined, FixerInfo

# Variable names that say the value is an expression to compute, not a literal to read.
_EXPRESSION_NAMES = re.compile(r"expr|formula|calc|code|math|script|equation|lambda", re.I)
# ... and those that say it is arithmetic, which a small evaluator can compute without eval.
_ARITHMETIC_NAMES = re.compile(r"expr|formula|calc|math|equation", re.I)
_WORD = re.compile(r"[A-Za-z_]\w*")
_ARITHMETIC_TEXT = re.compile(r"[\d\s.+\-*/%()]+")
_ARITH = "_eval_arithmetic"
_ARITH_CODE = '''def _eval_arithmetic(expression: str) -> "int | float":
    """The value of an arithmetic expression (numbers, + - * / // % **, parentheses),
    computed without running code: names, calls and attributes raise ValueError."""
    operators = {
        ast.Add: operator.add,
        ast.Sub: operator.sub,
        ast.Mult: operator.mul,
        ast.Div: operator.truediv,
        ast.FloorDiv: operator.floordiv,
        ast.Mod: operator.mod,
        ast.Pow: operator.pow,
    }

    def value(node: ast.AST) -> "int | float":
        if isinstance(node, ast.Constant) and type(node.value) in (int, float):
            return node.value
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.UAdd, ast.USub)):
            operand = value(node.operand)
            return -operand if isinstance(node.op, ast.USub) else operand
        if isinstance(node, ast.BinOp) and type(node.op) in operators:
            left, right = value(node.left), value(node.right)
            if isinstance(node.op, ast.Pow) and abs(right) > 64:
                raise ValueError("exponent too large")
            return operators[type(node.op)](left, right)
        raise ValueError("only numbers and arithmetic operators are allowed")

    return value(ast.parse(str(expression).strip(), mode="eval").body)
'''


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
        # Bandit files `eval` (B307) under CWE-78.
        rule_ids=("bandit:B307",),
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
            " default value in the code that is not a literal (such as `'1+1'`). When those"
            " signs say the input is arithmetic (`expr`, `formula`, `calc`, examples made of"
            " numbers and operators), `eval` becomes `_eval_arithmetic`, a small evaluator of"
            " numbers, `+ - * / // % **` and parentheses that runs no code. Declines constants"
            " and values checked against an allow-list (not data from outside)."
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
        constant = why_safe(ctx, node, arg)
        if constant is not None:
            return Declined(reason=constant)
        hint = self._expression_hint(ctx, node, arg)
        if hint is not None:
            reason, arithmetic = hint
            if not arithmetic:
                return Declined(reason=reason)
            return Edit(
                replacements={node: node.with_changes(func=cst.Name(_ARITH))},
                imports=(Import(module="ast"), Import(module="operator")),
                helpers={_ARITH: _ARITH_CODE},
                description=(
                    f"Compute the arithmetic with `{_ARITH}`, a small evaluator that accepts"
                    " numbers, `+ - * / // % **` and parentheses and never runs code, instead"
                    f" of `eval` ({reason})."
                ),
                risk=RiskClass.MEDIUM,
                risk_reason=(
                    "arithmetic gives the same result; anything else (names, functions,"
                    " comparisons) now raises ValueError, which the project's tests must show"
                    " is not relied on"
                ),
            )
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
    ) -> tuple[str, bool] | None:
        """Why the input looks like an expression rather than a literal, and whether that
        expression is arithmetic (names and examples say so); None for a literal."""
        template = parse_template(arg)
        if template is not None and template.values:
            return "the evaluated string is built around the value: it is code", False
        inspected: list[cst.CSTNode] = [arg]
        names: list[str] = []
        if isinstance(arg, cst.Name):
            names.append(arg.value)
            assign = single_assignment(ctx, node, arg.value)
            if assign is not None:
                inspected.append(assign.value)
                names += [t.target.value for t in assign.targets if isinstance(t.target, cst.Name)]
        texts = [t for part in inspected for t in _strings_in(part) if t]
        hint: str | None = None
        for name in names:
            if _EXPRESSION_NAMES.search(name):
                hint = f"`{name}` names an expression to compute, not a literal"
                break
        for text in texts:
            if hint is not None:
                break
            if _EXPRESSION_NAMES.search(text):
                hint = f"the input is named {text!r}: an expression"
            # A default or example value (`"1+1"`) that literal_eval would reject.
            elif (
                not text.isidentifier()
                and not _is_literal(text)
                and (any(c in text for c in "+-*/%()<>=") or text.strip() != text)
            ):
                hint = f"the example value {text!r} is an expression"
        if hint is None:
            return None
        # Arithmetic: named so, and every example value is made of numbers and operators.
        arithmetic = any(_ARITHMETIC_NAMES.search(n) for n in names) or any(
            _ARITHMETIC_TEXT.fullmatch(t) for t in texts
        )
        # ... and no string around it names something else (`lambda`, `sqrt`, `open`).
        arithmetic = arithmetic and not any(
            not _ARITHMETIC_NAMES.search(word) for t in texts for word in _WORD.findall(t)
        )
        return hint, arithmetic
