"""CWE-79: request data interpolated into HTML -> escaped with ``markupsafe.escape``."""

from __future__ import annotations

import libcst as cst

from mamori.domain import FixerId, RiskClass
from mamori.fix.codemods._base import (
    CodemodFixer,
    Edit,
    FixContext,
    Import,
    Replacement,
    function_params,
    positional,
    quote_text,
)
from mamori.fix.codemods._template import Template, parse_template
from mamori.fix.interface import FixerInfo

_ESCAPES = {
    "markupsafe.escape",
    "html.escape",
    "flask.escape",
    "jinja2.escape",
    "markupsafe.Markup.escape",
    "django.utils.html.escape",
}
_MARKUP = {"markupsafe.Markup", "flask.Markup", "jinja2.Markup"}
_RENDER_STRING = {"flask.render_template_string"}
# Request objects whose attributes carry attacker-controlled data.
_REQUEST = {"flask.request", "request"}


class _Taint:
    """Which expressions of a function carry request data.

    Sources: ``request.*`` and the parameters of a view function (one with a route decorator).
    Taint flows through assignments whose value derives from a tainted value by string operations
    (attribute, subscript, method call on it, concatenation, formatting), not through arbitrary
    calls that take it as an
    argument (``db.execute(q)`` returns rows, not ``q``).
    """

    def __init__(self, ctx: FixContext, fn: cst.FunctionDef | None) -> None:
        self.ctx = ctx
        self.names: set[str] = set()
        if fn is not None:
            if _is_view(fn):  # URL path parameters come from the request
                self.names = set(function_params(fn)) - {"self", "request"}
            self._propagate(fn)

    def _propagate(self, fn: cst.FunctionDef) -> None:
        assigns: list[cst.Assign] = []

        class V(cst.CSTVisitor):
            def visit_Assign(self, node: cst.Assign) -> None:
                assigns.append(node)

        fn.body.visit(V())
        for _ in range(3):  # a few rounds reach a fixed point for straight-line view code
            for a in assigns:
                if self.tainted(a.value):
                    for t in a.targets:
                        if isinstance(t.target, cst.Name):
                            self.names.add(t.target.value)

    def tainted(self, expr: cst.BaseExpression) -> bool:
        if isinstance(expr, cst.Name):
            return expr.value in self.names or bool(
                self.ctx.qualified_names(expr) & {"flask.request"}
            )
        if isinstance(expr, cst.Attribute):
            return self.tainted(expr.value)
        if isinstance(expr, cst.Subscript):
            return self.tainted(expr.value)
        if isinstance(expr, cst.Call):
            if self.ctx.qualified_names(expr.func) & _ESCAPES:
                return False
            if isinstance(expr.func, cst.Attribute):
                return self.tainted(expr.func.value)
            if isinstance(expr.func, cst.Name) and expr.func.value == "str":
                return any(self.tainted(a.value) for a in expr.args)
            return False
        if isinstance(expr, cst.BinaryOperation):
            return self.tainted(expr.left) or self.tainted(expr.right)
        if isinstance(expr, cst.BooleanOperation):
            return self.tainted(expr.left) or self.tainted(expr.right)
        if isinstance(expr, cst.IfExp):
            return self.tainted(expr.body) or self.tainted(expr.orelse)
        if isinstance(expr, cst.FormattedString):
            return any(
                isinstance(p, cst.FormattedStringExpression) and self.tainted(p.expression)
                for p in expr.parts
            )
        return False


_ROUTE_DECORATORS = {"route", "get", "post", "put", "patch", "delete", "api_route", "websocket"}


def _is_view(fn: cst.FunctionDef) -> bool:
    for dec in fn.decorators:
        expr = dec.decorator.func if isinstance(dec.decorator, cst.Call) else dec.decorator
        if isinstance(expr, cst.Attribute) and expr.attr.value in _ROUTE_DECORATORS:
            return True
    return False


def _escape(expr: cst.BaseExpression, as_str: bool) -> cst.BaseExpression:
    call = cst.Call(func=cst.parse_expression("markupsafe.escape"), args=[cst.Arg(expr)])
    if as_str:  # str + Markup would escape the str side: keep concatenation on plain strings
        return cst.Call(func=cst.Name("str"), args=[cst.Arg(call)])
    return call


def _is_html(template: Template) -> bool:
    text = template.literal_text
    return "<" in text and ">" in text


class XssEscapeFixer(CodemodFixer):
    info = FixerInfo(
        id=FixerId("mamori:fix/xss-escape"),
        title="HTML-escape request data interpolated into HTML",
        cwes=(79, 80),
        risk=RiskClass.LOW,
        risk_reason=(
            "the page shows the same text for ordinary input; only characters with a meaning"
            " in HTML (< > & \" ') are shown instead of interpreted"
        ),
        description=(
            "Wraps request-derived values interpolated into an HTML string (f-string,"
            " concatenation, `%` or `.format`) in `markupsafe.escape(...)` (`str(...)` around"
            " it inside concatenations); `Markup(tainted)` becomes `markupsafe.escape(tainted)`;"
            ' `render_template_string(f"...{x}...")` becomes a constant template with'
            " `{{ x }}` and `x=x` (Jinja autoescapes it). Values that do not derive from the"
            " request (such as HTML built elsewhere) are left alone."
        ),
    )

    def edit(self, ctx: FixContext) -> Edit | None:
        for node in ctx.nodes_at_line(cst.Call):
            names = ctx.qualified_names(node.func)
            result = None
            if names & _RENDER_STRING:
                result = self._render_string(ctx, node)
            elif names & _MARKUP:
                result = self._markup(ctx, node)
            if result is not None:
                return result
        candidates = [
            n
            for n in ctx.nodes_at_line(cst.BaseExpression)  # type: ignore[type-abstract]
            if isinstance(n, cst.FormattedString | cst.BinaryOperation | cst.Call)
        ]
        # The outermost string-building expression on the line holds every interpolation.
        for expr in sorted(candidates, key=lambda n: _span(ctx, n), reverse=True):
            template = parse_template(expr)
            if template is None or not template.values or not _is_html(template):
                continue
            result = self._wrap(ctx, expr, template)
            if result is not None:
                return result
        return None

    def _wrap(self, ctx: FixContext, node: cst.CSTNode, template: Template) -> Edit | None:
        taint = _Taint(ctx, ctx.enclosing(node, cst.FunctionDef))
        replacements: dict[cst.CSTNode, Replacement] = {}
        for val in template.values:
            if not taint.tainted(val.expr):
                continue
            in_fstring = isinstance(ctx.parent(val.expr), cst.FormattedStringExpression)
            as_str = template.kind == "concat" and not in_fstring
            replacements[val.expr] = _escape(val.expr, as_str)
        if not replacements:
            return None
        return Edit(
            replacements=replacements,
            imports=(Import(module="markupsafe"),),
            description=(
                f"HTML-escape {len(replacements)} request-derived value(s) with"
                " `markupsafe.escape` before they are put into the HTML response."
            ),
        )

    def _markup(self, ctx: FixContext, node: cst.Call) -> Edit | None:
        args = positional(node)
        if len(node.args) != 1 or len(args) != 1:
            return None
        taint = _Taint(ctx, ctx.enclosing(node, cst.FunctionDef))
        arg = args[0].value
        if parse_template(arg) is not None or not taint.tainted(arg):
            return None  # a template inside Markup(...) is handled by the generic path
        new = cst.Call(func=cst.parse_expression("markupsafe.escape"), args=[cst.Arg(arg)])
        return Edit(
            replacements={node: new.with_changes(lpar=node.lpar, rpar=node.rpar)},
            imports=(Import(module="markupsafe"),),
            description="Escape the value with `markupsafe.escape` instead of trusting it as"
            " markup with `Markup(...)`.",
        )

    def _render_string(self, ctx: FixContext, node: cst.Call) -> Edit | None:
        args = positional(node)
        if not args or any(a.star for a in node.args):
            return None
        template = parse_template(args[0].value)
        if template is None or not template.values:
            return None
        existing = {a.keyword.value for a in node.args if a.keyword is not None}
        text = ""
        context: list[tuple[str, cst.BaseExpression]] = []
        for part in template.parts:
            if hasattr(part, "text"):
                lit = part.text
                if any(tok in lit for tok in ("{{", "{%", "{#", "}}", "%}", "#}")):
                    return None
                text += lit
                continue
            expr = part.expr
            name = expr.value if isinstance(expr, cst.Name) else f"value{len(context)}"
            if name in existing or any(n == name for n, _ in context) or not part.plain:
                return None
            context.append((name, expr))
            text += "{{ " + name + " }}"
        new_args = [cst.Arg(cst.SimpleString(quote_text(text, template.quote)))]
        new_args += [a for a in node.args if a is not args[0]]
        new_args += [
            cst.Arg(
                value=e,
                keyword=cst.Name(n),
                equal=cst.AssignEqual(
                    whitespace_before=cst.SimpleWhitespace(""),
                    whitespace_after=cst.SimpleWhitespace(""),
                ),
            )
            for n, e in context
        ]
        sep = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
        new_args = [a.with_changes(comma=sep) for a in new_args[:-1]] + [
            new_args[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
        ]
        return Edit(
            replacements={node: node.with_changes(args=new_args)},
            description="Pass the values to `render_template_string` as template variables"
            " (autoescaped by Jinja) instead of formatting them into the template source.",
        )


def _span(ctx: FixContext, node: cst.CSTNode) -> tuple[int, int]:
    pos = ctx.position(node)
    return (pos.end.line - pos.start.line, pos.end.column - pos.start.column)
