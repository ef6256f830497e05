"""CWE-614 / CWE-1004: cookies set without Secure / HttpOnly / SameSite."""

from __future__ import annotations

import libcst as cst

from mamori.domain import FixerId, RiskClass
from mamori.fix.codemods._base import (
    CodemodFixer,
    Edit,
    FixContext,
    append_args,
    keyword,
    positional,
)
from mamori.fix.interface import Declined, FixerInfo

# set_cookie(key, value, max_age, expires, path, domain, secure, httponly, samesite): Werkzeug,
# Django and Starlette share these keyword names; more than 6 positionals would set the flags.
_MAX_POSITIONAL = 6
_FLAGS: tuple[tuple[str, str], ...] = (
    ("secure", "True"),
    ("httponly", "True"),
    ("samesite", '"Lax"'),
)


def _kwarg(name: str, value: str) -> cst.Arg:
    return cst.Arg(
        value=cst.parse_expression(value),
        keyword=cst.Name(name),
        equal=cst.AssignEqual(
            whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")
        ),
    )


class CookieFlagsFixer(CodemodFixer):
    info = FixerInfo(
        id=FixerId("mamori:fix/cookie-flags"),
        title="Set Secure, HttpOnly and SameSite on cookies",
        cwes=(614, 1004, 1275),
        risk=RiskClass.LOW,
        risk_reason=(
            "browsers keep sending the cookie over HTTPS to the same site; it is no longer sent"
            " over plain HTTP, readable from JavaScript or attached to cross-site POSTs"
        ),
        description=(
            'Adds the missing `secure=True`, `httponly=True` and `samesite="Lax"` arguments'
            " to `response.set_cookie(...)`, keeping the ones already given (a literal"
            " `secure=False` or `httponly=False` is turned into `True`: that is the finding)."
            " Declines when the flags may come from `**kwargs` or positional arguments, and"
            " when every flag is already set."
        ),
    )

    def edit(self, ctx: FixContext) -> Edit | Declined | None:
        calls = ctx.nodes_at_line(cst.Call, _is_set_cookie)
        for node in calls:
            result = self._fix(node)
            if result is not None:
                return result
        if calls and all(_flags_set(n) for n in calls):
            return Declined(reason="the cookie already sets secure, httponly and samesite")
        return None

    def _fix(self, node: cst.Call) -> Edit | None:
        if any(a.star for a in node.args) or len(positional(node)) > _MAX_POSITIONAL:
            return None
        new = node
        added: list[str] = []
        for name, value in _FLAGS:
            existing = keyword(node, name)
            if existing is None:
                added.append(f"{name}={value}")
                continue
            if (
                name in {"secure", "httponly"}
                and isinstance(existing.value, cst.Name)
                and existing.value.value == "False"
            ):
                new = new.with_changes(
                    args=[
                        a.with_changes(value=cst.Name("True")) if a is existing else a
                        for a in new.args
                    ]
                )
                added.append(f"{name}=True")
        if not added:
            return None
        missing = [_kwarg(n, v) for n, v in _FLAGS if keyword(node, n) is None]
        new = append_args(new, missing)
        return Edit(
            replacements={node: new},
            description=f"Set {', '.join(f'`{a}`' for a in added)} on the cookie.",
        )


def _flags_set(node: cst.Call) -> bool:
    """Every flag is passed (secure/httponly not as a literal False)."""
    for name, _ in _FLAGS:
        arg = keyword(node, name)
        if arg is None:
            return False
        if isinstance(arg.value, cst.Name) and arg.value.value == "False" and name != "samesite":
            return False
    return True


def _is_set_cookie(node: cst.Call) -> bool:
    return isinstance(node.func, cst.Attribute) and node.func.attr.value == "set_cookie"
