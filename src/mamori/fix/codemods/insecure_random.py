"""CWE-330: ``random`` used for tokens -> the ``secrets`` module (the OS's CSPRNG)."""

from __future__ import annotations

import re

import libcst as cst

from mamori.domain import FixerId, RiskClass
from mamori.fix.codemods._base import (
    CodemodFixer,
    Edit,
    FixContext,
    Import,
    Replacement,
    function_params,
    names_in,
    paren,
    positional,
)
from mamori.fix.interface import Declined, FixerInfo

# random.X -> secrets.SystemRandom().X: same signature, CSPRNG underneath.
_SYSTEM_RANDOM = {"random", "uniform", "choices", "sample", "shuffle", "triangular", "gauss"}


# Words around a random value that say an attacker must not guess it.
_SECURITY_WORDS = re.compile(
    r"token|secret|passw|pwd|otp|code|pin\b|nonce|salt|key|session|sid\b|csrf|xsrf|reset"
    r"|verif|auth|invite|captcha|voucher|coupon|cred|ident|uuid|nonce|challenge",
    re.IGNORECASE,
)


def _for_security(ctx: FixContext, node: cst.CSTNode) -> bool:
    """Whether the names around the call (its statement, the function, string keys) say the
    value protects something."""
    words: set[str] = set()
    stmt = ctx.statement_of(node)
    if stmt is not None:
        words |= names_in(stmt)
        words |= _strings(stmt)
    fn = ctx.enclosing(node, cst.FunctionDef)
    if fn is not None:
        words.add(fn.name.value)
        ret = ctx.enclosing(node, cst.Return)
        if ret is not None and ctx.enclosing(ret, cst.FunctionDef) is fn:
            words |= set(function_params(fn))
    return any(_SECURITY_WORDS.search(w) for w in words)


def _strings(node: cst.CSTNode) -> set[str]:
    found: set[str] = set()

    class V(cst.CSTVisitor):
        def visit_SimpleString(self, s: cst.SimpleString) -> None:
            value = s.evaluated_value
            if isinstance(value, str):
                found.add(value)

    node.visit(V())
    return found


def _int(expr: cst.BaseExpression) -> int | None:
    if isinstance(expr, cst.Integer):
        return int(expr.evaluated_value)
    if (
        isinstance(expr, cst.UnaryOperation)
        and isinstance(expr.operator, cst.Minus)
        and isinstance(expr.expression, cst.Integer)
    ):
        return -int(expr.expression.evaluated_value)
    return None


def _num(n: int) -> cst.BaseExpression:
    return cst.parse_expression(str(n))


def _randbelow_plus(bound: cst.BaseExpression, low: cst.BaseExpression) -> cst.BaseExpression:
    """``secrets.randbelow(bound) + low`` (``+ low`` dropped when low is 0)."""
    below = cst.Call(func=cst.parse_expression("secrets.randbelow"), args=[cst.Arg(bound)])
    if _int(low) == 0:
        return below
    return cst.BinaryOperation(left=below, operator=cst.Add(), right=paren(low))


def _span(high: cst.BaseExpression, low: cst.BaseExpression, extra: int) -> cst.BaseExpression:
    """``high - low + extra`` folded when both are integer literals."""
    hi, lo = _int(high), _int(low)
    if hi is not None and lo is not None:
        return _num(hi - lo + extra)
    expr: cst.BaseExpression = paren(high)
    if lo != 0:
        expr = cst.BinaryOperation(left=expr, operator=cst.Subtract(), right=paren(low))
    if extra:
        expr = cst.BinaryOperation(left=expr, operator=cst.Add(), right=_num(extra))
    return expr


def secure_call(name: str, node: cst.Call) -> cst.BaseExpression | None:
    """The ``secrets`` equivalent of ``random.<name>(...)`` (None when there is none)."""
    if any(a.star for a in node.args):
        return None
    args = positional(node)
    kw = {a.keyword.value for a in node.args if a.keyword is not None}
    if name == "choice" and len(args) == 1 and not kw:
        return node.with_changes(func=cst.parse_expression("secrets.choice"))
    if name == "randbytes" and len(args) == 1 and not kw:
        return node.with_changes(func=cst.parse_expression("secrets.token_bytes"))
    if name == "getrandbits" and len(args) == 1 and not kw:
        return node.with_changes(func=cst.parse_expression("secrets.randbits"))
    if name == "randint" and len(args) == 2 and not kw:
        low, high = args[0].value, args[1].value
        return _randbelow_plus(_span(high, low, 1), low)
    if name == "randrange" and not kw:
        if len(args) == 1:
            return _randbelow_plus(args[0].value, cst.Integer("0"))
        if len(args) == 2:
            low, high = args[0].value, args[1].value
            return _randbelow_plus(_span(high, low, 0), low)
        return None  # a step: rare for tokens, and not a one-liner with secrets
    if name in _SYSTEM_RANDOM:
        return node.with_changes(func=cst.parse_expression(f"secrets.SystemRandom().{name}"))
    return None


class InsecureRandomFixer(CodemodFixer):
    info = FixerInfo(
        id=FixerId("mamori:fix/insecure-random"),
        title="Use the secrets module for security-sensitive randomness",
        cwes=(330, 338),
        risk=RiskClass.LOW,
        risk_reason=(
            "values have the same type and range; only their predictability changes (seeding"
            " `random` no longer reproduces them, which tests should not rely on for tokens)"
        ),
        description=(
            "Replaces `random.choice` with `secrets.choice`, `random.randint(a, b)` with"
            " `secrets.randbelow(b - a + 1) + a`, `random.randrange` with `secrets.randbelow`,"
            " `random.getrandbits` with `secrets.randbits` and `random.random()` (and other"
            " methods) with `secrets.SystemRandom().random()`, `random.randbytes` with"
            " `secrets.token_bytes`, and imports `secrets`. Only the calls on the reported line"
            " are changed. Declines when nothing around the call (its statement, the function"
            " name) says the value must be unpredictable (token, password, key, code, session):"
            " back-off jitter, sampling and shuffling need no CSPRNG."
        ),
    )

    def edit(self, ctx: FixContext) -> Edit | Declined | None:
        replacements: dict[cst.CSTNode, Replacement] = {}
        changed: list[str] = []
        for node in ctx.nodes_at_line(cst.Call):
            names = [n for n in ctx.qualified_names(node.func) if n.startswith("random.")]
            if len(names) != 1 or names[0].count(".") != 1:
                continue
            name = names[0].split(".", 1)[1]
            new = secure_call(name, node)
            if new is None:
                continue
            if any(id(a) in {id(k) for k in replacements} for a in ctx.ancestors(node)):
                continue  # nested inside a call already rewritten; leave for a second pass
            replacements[node] = new
            changed.append(f"random.{name}")
        if not replacements:
            return None
        if not any(_for_security(ctx, node) for node in replacements):
            return Declined(
                reason="nothing says the random value must be unpredictable (no token,"
                " password, key, code or session around it): back-off jitter, sampling and"
                " shuffling need no CSPRNG"
            )
        return Edit(
            replacements=replacements,
            imports=(Import(module="secrets"),),
            description=(
                f"Use the `secrets` module (a CSPRNG) instead of {', '.join(sorted(set(changed)))}"
                " for values an attacker must not predict."
            ),
        )
