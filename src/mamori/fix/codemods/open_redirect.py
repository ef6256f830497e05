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
    single_assignment,
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
# Responses built with headers, where a `Location` header is a redirect.
_RESPONSES = {
    "flask.Response",
    "flask.wrappers.Response",
    "werkzeug.Response",
    "werkzeug.wrappers.Response",
    "flask.make_response",
    "django.http.HttpResponse",
    "starlette.responses.Response",
    "fastapi.responses.Response",
    "fastapi.Response",
}
# Functions without side effects that give the same result for the same argument: a target
# built with them can be computed twice (in the check and in the redirect).
_PURE_CALLS = {
    "builtins.str",
    "html.escape",
    "html.unescape",
    "markupsafe.escape",
    "urllib.parse.quote",
    "urllib.parse.unquote",
    "urllib.parse.unquote_plus",
}
_PURE_METHODS = {"get", "strip", "lstrip", "rstrip", "lower", "decode"}
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


def _simple(ctx: FixContext, expr: cst.BaseExpression) -> bool:
    """Cheap and free of side effects, so that evaluating it twice is harmless."""
    if isinstance(expr, cst.Name | cst.SimpleString):
        return True
    if isinstance(expr, cst.Attribute):
        return _simple(ctx, expr.value)
    if isinstance(expr, cst.Subscript):
        return _simple(ctx, expr.value)
    if not isinstance(expr, cst.Call) or not all(
        _simple(ctx, a.value) and not a.star for a in expr.args
    ):
        return False
    if ctx.qualified_names(expr.func) & _PURE_CALLS:
        return True
    return (
        isinstance(expr.func, cst.Attribute)
        and expr.func.attr.value in _PURE_METHODS
        and _simple(ctx, expr.func.value)
    )


def _location(key: cst.BaseExpression | None) -> bool:
    return (
        isinstance(key, cst.SimpleString)
        and isinstance(key.evaluated_value, str)
        and key.evaluated_value.lower() == "location"
    )


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
            " `redirect(target if _is_safe_redirect(target) else fallback)`, and the same for a"
            ' `Location` header (`Response(status=302, headers={"Location": target})`,'
            ' `response.headers["Location"] = target`), and adds the small'
            " `_is_safe_redirect(url)` helper (no scheme, no host, not starting with `//` or"
            " a backslash). The fallback is the original `or ...` default when there is one,"
            ' else `"/"`.'
        ),
    )

    def edit(self, ctx: FixContext) -> Edit | Declined | None:
        for assign in ctx.nodes_at_line(cst.Assign):
            header = self._header_assignment(ctx, assign)
            if header is not None:
                return header
        for node in ctx.nodes_at_line(cst.Call):
            qnames = ctx.qualified_names(node.func)
            if qnames & _RESPONSES:
                header = self._header_argument(ctx, node)
                if header is not None:
                    return header
            if not qnames & _REDIRECTS:
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
        guarded = self._guarded_expr(ctx, arg.value)
        if guarded is None:
            return None
        new = node.with_changes(
            args=[a.with_changes(value=guarded) if a is arg else a for a in node.args]
        )
        return _edit({node: new}, _helper_name(ctx))

    def _guard_value(
        self, ctx: FixContext, at: cst.CSTNode, value: cst.BaseExpression
    ) -> cst.BaseExpression | Declined | None:
        """The guarded form of a header value, a reason it is safe, or None (not fixable)."""
        why = why_safe(ctx, at, value)
        if why is not None:
            return Declined(reason=why)
        return self._guarded_expr(ctx, value)

    @staticmethod
    def _guarded_expr(ctx: FixContext, value: cst.BaseExpression) -> cst.BaseExpression | None:
        """``value`` (``url`` or ``url or fallback``) passed through the same-host check with
        its fallback; None when it is a constant, already guarded or built by a safe helper,
        or not simple enough to guard."""
        if isinstance(value, cst.SimpleString | cst.ConcatenatedString | cst.IfExp):
            return None  # constant, or already guarded
        if isinstance(value, cst.Call) and ctx.qualified_names(value.func) & _SAFE_BUILDERS:
            return None
        fallback: cst.BaseExpression = cst.SimpleString('"/"')
        target = value
        if isinstance(value, cst.BooleanOperation) and isinstance(value.operator, cst.Or):
            target, fallback = value.left, value.right
        if not _simple(ctx, target):
            return None
        return _guarded(target, fallback, _helper_name(ctx))

    def _header_assignment(self, ctx: FixContext, assign: cst.Assign) -> Edit | Declined | None:
        """``response.headers["Location"] = target``."""
        if len(assign.targets) != 1:
            return None
        target = assign.targets[0].target
        if not (
            isinstance(target, cst.Subscript)
            and isinstance(target.value, cst.Attribute)
            and target.value.attr.value == "headers"
            and len(target.slice) == 1
            and isinstance(target.slice[0].slice, cst.Index)
            and _location(target.slice[0].slice.value)
        ):
            return None
        guarded = self._guard_value(ctx, assign, assign.value)
        if guarded is None or isinstance(guarded, Declined):
            return guarded
        return _edit({assign.value: guarded}, _helper_name(ctx))

    def _header_argument(self, ctx: FixContext, node: cst.Call) -> Edit | Declined | None:
        """``Response(..., headers={"Location": target})``."""
        headers = keyword(node, "headers")
        if headers is None:
            return None
        value = headers.value
        if isinstance(value, cst.Name):
            # headers = {"Location": url}; Response(..., headers=headers)
            assign = single_assignment(ctx, node, value.value)
            value = assign.value if assign is not None else value
        if not isinstance(value, cst.Dict):
            return None
        for el in value.elements:
            if isinstance(el, cst.DictElement) and _location(el.key):
                guarded = self._guard_value(ctx, node, el.value)
                if guarded is None or isinstance(guarded, Declined):
                    return guarded
                return _edit({el.value: guarded}, _helper_name(ctx))
        return None


def _helper_name(ctx: FixContext) -> str:
    """The helper's name: another name when the module defines one of that name that is not
    this helper (whose checks may differ)."""
    defined = {
        s.name.value: ctx.code(s).strip()
        for s in ctx.module.body
        if isinstance(s, cst.FunctionDef | cst.ClassDef)
    }
    name = _HELPER
    n = 1
    while name in defined and defined[name] != _HELPER_CODE.replace(_HELPER, name, 1).strip():
        name = f"{_HELPER}_url" if n == 1 else f"{_HELPER}_url{n}"
        n += 1
    return name


def _guarded(target: cst.BaseExpression, fallback: cst.BaseExpression, name: str) -> cst.IfExp:
    return cst.IfExp(
        test=cst.Call(func=cst.Name(name), args=[cst.Arg(target)]),
        body=target,
        orelse=fallback,
    )


def _edit(replacements: dict[cst.CSTNode, cst.CSTNode], name: str) -> Edit:
    return Edit(
        replacements=replacements,
        imports=(Import(module="urllib.parse"),),
        helpers={name: _HELPER_CODE.replace(_HELPER, name, 1)},
        description=(
            "Redirect to the requested URL only when it is a relative URL on this site;"
            " otherwise to the fallback."
        ),
    )
