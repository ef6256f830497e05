"""CWE-601: ``redirect(user_url)`` -> redirect only to same-site relative URLs."""

from __future__ import annotations

import libcst as cst

from mamori.domain import FixerId, RiskClass
from mamori.fix.codemods._base import (
    CodemodFixer,
    Edit,
    FixContext,
    Import,
    keyword,
    positional,
)
from mamori.fix.codemods._safety import why_safe
from mamori.fix.interface import Declined, FixerInfo

_REDIRECTS = {
    "flask.redirect",
    "werkzeug.utils.redirect",
    "django.shortcuts.redirect",
    "django.http.HttpResponseRedirect",
    "starlette.responses.RedirectResponse",
    "fastapi.responses.RedirectResponse",
}
_URL_KEYWORDS = ("location", "url", "redirect_to")
_SAFE_BUILDERS = {"flask.url_for", "django.urls.reverse", "django.shortcuts.resolve_url"}
_HELPER = "_is_safe_redirect"
_HELPER_CODE = '''def _is_safe_redirect(url: object) -> bool:
    """True for a relative URL on this site: no scheme, no host, not protocol-relative."""
    if not isinstance(url, str) or not url:
        return False
    # Browsers read a backslash as a slash and ignore leading blanks and control characters.
    normalised = url.replace("\\\\", "/")
    if normalised != normalised.strip() or any(ord(c) < 32 for c in normalised):
        return False
    if normalised.startswith("//"):
        return False
    parts = urllib.parse.urlparse(normalised)
    return not parts.scheme and not parts.netloc
'''


def _simple(expr: cst.BaseExpression) -> bool:
    """Cheap and free of side effects, so that evaluating it twice is harmless."""
    if isinstance(expr, cst.Name | cst.SimpleString):
        return True
    if isinstance(expr, cst.Attribute):
        return _simple(expr.value)
    if isinstance(expr, cst.Subscript):
        return _simple(expr.value)
    if isinstance(expr, cst.Call) and isinstance(expr.func, cst.Attribute):
        return (
            expr.func.attr.value == "get"
            and all(_simple(a.value) and not a.star for a in expr.args)
            and _simple(expr.func.value)
        )
    return False


class OpenRedirectFixer(CodemodFixer):
    info = FixerInfo(
        id=FixerId("mamori:fix/open-redirect"),
        title="Redirect only to same-site relative URLs",
        cwes=(601,),
        risk=RiskClass.LOW,
        risk_reason=(
            "redirects to paths on the same site are unchanged; absolute and protocol-relative"
            " URLs now go to the fallback instead"
        ),
        description=(
            "Rewrites `redirect(target)` where the target comes from the request into"
            " `redirect(target if _is_safe_redirect(target) else fallback)` and adds the small"
            " `_is_safe_redirect(url)` helper (no scheme, no host, not starting with `//` or"
            " a backslash). The fallback is the original `or ...` default when there is one,"
            ' else `"/"`.'
        ),
    )

    def edit(self, ctx: FixContext) -> Edit | Declined | None:
        for node in ctx.nodes_at_line(cst.Call):
            if not ctx.qualified_names(node.func) & _REDIRECTS:
                continue
            pos = positional(node)
            why = why_safe(ctx, node, pos[0].value if pos else None)
            if why is not None:
                return Declined(reason=why)
            result = self._fix(ctx, node)
            if result is not None:
                return result
        return None

    def _fix(self, ctx: FixContext, node: cst.Call) -> Edit | None:
        pos = positional(node)
        arg = (
            pos[0]
            if pos
            else next((k for k in (keyword(node, n) for n in _URL_KEYWORDS) if k is not None), None)
        )
        if arg is None:
            return None
        value = arg.value
        if isinstance(value, cst.SimpleString | cst.ConcatenatedString | cst.IfExp):
            return None  # constant, or already guarded
        if isinstance(value, cst.Call) and ctx.qualified_names(value.func) & _SAFE_BUILDERS:
            return None
        fallback: cst.BaseExpression = cst.SimpleString('"/"')
        target = value
        if isinstance(value, cst.BooleanOperation) and isinstance(value.operator, cst.Or):
            target, fallback = value.left, value.right
        if not _simple(target):
            return None
        guarded = cst.IfExp(
            test=cst.Call(func=cst.Name(_HELPER), args=[cst.Arg(target)]),
            body=target,
            orelse=fallback,
        )
        new = node.with_changes(
            args=[a.with_changes(value=guarded) if a is arg else a for a in node.args]
        )
        return Edit(
            replacements={node: new},
            imports=(Import(module="urllib.parse"),),
            helpers={_HELPER: _HELPER_CODE},
            description=(
                "Redirect to the requested URL only when it is a relative URL on this site;"
                " otherwise to the fallback."
            ),
        )
