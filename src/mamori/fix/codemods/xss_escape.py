"""CWE-79: request data interpolated into HTML -> escaped with ``markupsafe.escape``."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import libcst as cst

from mamori.cstutil import storage_name
from mamori.domain import FixerId, RiskClass
from mamori.fix.codemods._base import (
    CodemodFixer,
    Edit,
    FixContext,
    Import,
    Replacement,
    function_params,
    name_uses,
    positional,
    quote_text,
    single_assignment,
)
from mamori.fix.codemods._template import Lit, Template, parse_template
from mamori.fix.interface import Declined, FixerInfo

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


# HTML sanitisers: their result is markup meant to be trusted (escaping it would show the tags).
_SANITISERS = {"bleach.clean", "bleach.linkify", "nh3.clean", "lxml.html.clean.clean_html"}
# Calls whose result carries no markup from their arguments.
_CLEAN_CALLS = {"int", "float", "len", "bool", "abs", "round", "hash", "id", "url_for"}


class _Taint:
    """Which expressions of a function carry request data.

    Sources: ``request.*``, the parameters of a view function (one with a route decorator, or a
    Django-style view whose parameters include ``request``), and, when ``params`` is set (the
    engine reported request data at a line of a helper function), every parameter except those
    named as markup. Taint flows through assignments, ``+=`` and ``for`` targets whose value
    derives from a tainted value: attribute, subscript, method call on it, containers holding it,
    concatenation, formatting, and calls taking it as an argument (a constructor keeps it in an
    attribute, ``", ".join(tags)`` returns it), except escaping functions, numeric conversions
    and functions of this module that escape their result themselves.
    """

    def __init__(
        self, ctx: FixContext, fn: cst.FunctionDef | None, *, params: bool = False
    ) -> None:
        self.ctx = ctx
        self.names: set[str] = set()
        self.safe_funcs = _escaping_functions(ctx.module)
        flow = _FlowFacts.of(ctx)
        # module-level state the engine saw request data stored in (``COMMENTS``,
        # ``SETTINGS['footer']``, ``STATE.last_query``): read anywhere in the module
        self.paths = set(flow.stored)
        if fn is not None:
            names = set(function_params(fn)) - {"self", "cls"}
            if _is_view(fn):  # URL path parameters come from the request
                self.names = names - {"request"}
            elif "request" in names:  # a Django view: request.GET, request.POST, URL kwargs
                self.names = names
            if params:
                markup = _html_params(ctx, fn)
                self.names |= {
                    n for n in names if "html" not in n and "markup" not in n and n not in markup
                }
            span = ctx.position(fn)
            self.names |= {
                name
                for line, name in flow.assigned
                if span.start.line <= line <= span.end.line and name.isidentifier()
            }
            self._propagate(fn)

    def _propagate(self, fn: cst.FunctionDef) -> None:
        flows: list[tuple[cst.BaseExpression, cst.CSTNode]] = []  # (value, target)

        class V(cst.CSTVisitor):
            def visit_Assign(self, node: cst.Assign) -> None:
                flows.extend((node.value, t.target) for t in node.targets)

            def visit_AugAssign(self, node: cst.AugAssign) -> None:
                flows.append((node.value, node.target))

            def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
                if node.value is not None:
                    flows.append((node.value, node.target))

            def visit_For(self, node: cst.For) -> None:
                flows.append((node.iter, node.target))

            def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
                flows.append((node.value, node.target))

            def visit_CompFor(self, node: cst.CompFor) -> None:
                flows.append((node.iter, node.target))

        fn.body.visit(V())
        for _ in range(4):  # a few rounds reach a fixed point for straight-line view code
            for value, target in flows:
                if self.tainted(value):
                    self.names |= _target_names(target)

    def tainted(self, expr: cst.BaseExpression) -> bool:
        if self.paths and _path(expr) in self.paths:
            return True
        if isinstance(expr, cst.Name):
            return expr.value in self.names or bool(
                self.ctx.qualified_names(expr) & {"flask.request"}
            )
        if isinstance(expr, cst.Attribute | cst.Subscript):
            return self.tainted(expr.value)
        if isinstance(expr, cst.Call):
            names = self.ctx.qualified_names(expr.func)
            if names & (_ESCAPES | _SANITISERS):
                return False
            if isinstance(expr.func, cst.Name) and (
                expr.func.value in _CLEAN_CALLS or expr.func.value in self.safe_funcs
            ):
                return False
            if isinstance(expr.func, cst.Attribute) and self.tainted(expr.func.value):
                return True
            return any(self.tainted(a.value) for a in expr.args)
        if isinstance(expr, cst.BinaryOperation | cst.BooleanOperation):
            return self.tainted(expr.left) or self.tainted(expr.right)
        if isinstance(expr, cst.IfExp):
            return self.tainted(expr.body) or self.tainted(expr.orelse)
        if isinstance(expr, cst.FormattedString):
            return any(
                isinstance(p, cst.FormattedStringExpression) and self.tainted(p.expression)
                for p in expr.parts
            )
        if isinstance(expr, cst.List | cst.Tuple | cst.Set):
            return any(
                isinstance(e, cst.Element | cst.StarredElement) and self.tainted(e.value)
                for e in expr.elements
            )
        if isinstance(expr, cst.Dict):
            return any(
                isinstance(e, cst.DictElement) and self.tainted(e.value) for e in expr.elements
            )
        if isinstance(expr, cst.ListComp | cst.SetComp | cst.GeneratorExp):
            # what the comprehension yields decides (escape(t) for t in tags is clean)
            self._comp_targets(expr.for_in)
            return self.tainted(expr.elt)
        return False

    def _comp_targets(self, comp: cst.CompFor) -> None:
        if self.tainted(comp.iter):
            self.names |= _target_names(comp.target)
        if comp.inner_for_in is not None:
            self._comp_targets(comp.inner_for_in)


def _target_names(target: cst.CSTNode) -> set[str]:
    if isinstance(target, cst.Name):
        return {target.value}
    if isinstance(target, cst.Tuple | cst.List):
        out: set[str] = set()
        for e in target.elements:
            out |= _target_names(e.value)
        return out
    return set()


def _escaping_functions(module: cst.Module) -> set[str]:
    """Functions of this module that escape what they return (their result is markup)."""
    found: set[str] = set()
    for stmt in module.body:
        if isinstance(stmt, cst.FunctionDef):
            code = module.code_for_node(stmt.body)
            if "escape(" in code or "render_template" in code:
                found.add(stmt.name.value)
    return found


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
            " concatenation, `%`, `.format`/`.format_map`, also on a named format string) in"
            " `markupsafe.escape(...)` (`str(...)` around it inside concatenations), at the"
            " reported line or where the HTML variable returned or passed to a response there is"
            " built (`html = ...`, `html += ...`, both branches of a conditional), and inside a"
            " helper of the module that builds the HTML from its parameters. When the HTML is"
            " built away from the sink (stored data rendered by a helper, markup built where"
            " the data is stored), it escapes where the value is put into markup on the"
            " engine's reported data flow, in this file: at the flow's steps, else in the"
            " functions it passes through (stored data itself is not changed); it declines when"
            " that HTML cannot be located. `Markup(tainted)` becomes"
            " `markupsafe.escape(tainted)`; `Markup(<string built from request data>)` becomes"
            ' `Markup("<constant markup {}>").format(value)` (Markup.format escapes it), and'
            ' `text.replace("\\n", "<br>")` becomes'
            ' `markupsafe.escape(text).replace("\\n", Markup("<br>"))` (elsewhere'
            ' `str(markupsafe.escape(text)).replace("\\n", "<br>")`); `render_template_string`'
            " of a built template"
            " (inline or in a variable) becomes a constant template with `{{ x }}` and `x=x`"
            " (Jinja autoescapes it). Request data: `request.*`, route and Django view"
            " parameters, and what derives from them (attributes, containers, calls); when none"
            " is found, the parameters of the helper the engine reported. HTML built elsewhere"
            " is not escaped again."
        ),
    )

    def edit(self, ctx: FixContext) -> Edit | Declined | None:
        for node in ctx.nodes_at_line(cst.Call):
            names = ctx.qualified_names(node.func)
            result = None
            if names & _RENDER_STRING:
                result = self._render_string(ctx, node)
            elif names & _MARKUP:
                result = self._markup(ctx, node)
            if result is not None:
                return result
        sites, html_vars = self._sites(ctx)
        if sites:
            fn = ctx.enclosing(sites[0].node, cst.FunctionDef)
            # First with the request as the source; then, as the engine reported request data
            # here, with the helper's parameters as sources too.
            for params in (False, True):
                result = self._wrap(ctx, sites, html_vars, _Taint(ctx, fn, params=params))
                if result is not None:
                    return result
            if any(_escaped(ctx, v.expr) for s in sites if s.template for v in s.template.values):
                return None  # escaped at the reported line already (idempotence)
        # The HTML may be built away from the sink, on the way the data took: in a helper of
        # the module (``render_comments(COMMENTS)``) or where stored state is built as HTML.
        # Escape where the untrusted text is put into markup, not where it is stored.
        flow_sites: list[_Site] = []
        for tier in _flow_sites(ctx):
            flow_sites += tier
            result = self._wrap(ctx, tier, set(), _Taint(ctx, None))
            if result is not None:
                return result
        if any(
            _escaped(ctx, v.expr)
            for site in sites + flow_sites
            if site.template
            for v in site.template.values
        ):
            return None  # escaped already (idempotence)
        if not sites and not flow_sites:
            return Declined(
                reason="the HTML could not be located: no string with HTML markup is built"
                " from a value at the reported line, in a variable used there, or at a step of"
                " the reported data flow in this file (the markup may come from a template or"
                " another module)"
            )
        return Declined(
            reason="no value interpolated into the HTML here could be traced to the request"
            " (or every one is escaped already)"
        )

    def _sites(self, ctx: FixContext) -> tuple[list[_Site], set[str]]:
        """The HTML-building expressions at the finding's line, and those that build a variable
        used there (returned, passed to a response, or put into the HTML): ``body = "<p>" + x``,
        ``html += ...``. Also the names of those variables (they hold HTML: not escaped)."""
        sites: list[_Site] = []
        for expr in ctx.nodes_at_line(cst.BaseExpression):  # type: ignore[type-abstract]
            if not isinstance(expr, cst.FormattedString | cst.BinaryOperation | cst.Call):
                continue
            template = parse_template(expr) or _named_format(ctx, expr)
            if template is not None and _is_html(template):
                sites.append(_Site(expr, template))
        follow = [
            v.expr.value
            for site in sites
            if site.template is not None
            for v in site.template.values
            if isinstance(v.expr, cst.Name)
        ]
        sites = [s for s in sites if s.template is not None and s.template.values]
        names_at_line = ctx.nodes_at_line(cst.Name)
        if not sites:
            for node in names_at_line:
                parent = ctx.parent(node)
                tup = ctx.parent(parent) if isinstance(parent, cst.Element) else None
                if isinstance(tup, cst.Tuple):
                    parent = ctx.parent(tup)  # return html, 403
                if isinstance(parent, cst.Return) or (
                    isinstance(parent, cst.Arg) and parent.keyword is None
                ):
                    follow.append(node.value)
        fn = ctx.enclosing(names_at_line[0], cst.FunctionDef) if names_at_line else None
        html_vars: set[str] = set()
        if fn is None:
            return sites, html_vars
        for var in dict.fromkeys(follow):
            var_sites: list[_Site] = []
            direct: list[_Site] = []
            holds_html = False
            for step in _writes(fn, var):
                for value in _alternatives(step.value):
                    template = parse_template(value) or _named_format(ctx, value)
                    helper = _html_function(ctx, value)
                    if helper is not None:  # rows = render_rows(tags): escape inside the helper
                        holds_html = True
                        var_sites += _helper_sites(helper)
                        continue
                    if template is not None and _is_html(template):
                        holds_html = True
                        if template.values:
                            var_sites.append(_Site(value, template))
                    elif template is None and isinstance(step, cst.AugAssign):
                        direct.append(_Site(value, None))  # html += name
            if holds_html:
                html_vars.add(var)
                sites += var_sites + direct
        return sites, html_vars

    def _wrap(
        self, ctx: FixContext, sites: list[_Site], html_vars: set[str], taint: _Taint
    ) -> Edit | None:
        replacements: dict[cst.CSTNode, Replacement] = {}
        outer = taint
        module_html = _module_html_names(ctx)
        sites = list(sites)
        seen = {id(s.node) for s in sites}
        for site in sites:  # grows: HTML helpers called inside a value are escaped inside
            if site.helper is None:
                taint = outer
                local_html = html_vars
            else:
                taint = _Taint(ctx, site.helper, params=site.params)
                local_html = html_vars | _html_names(ctx, site.helper)
            if site.template is None:
                if (
                    taint.tainted(site.node)
                    and not _holds_html(site.node)
                    and _path(site.node) not in module_html
                ):
                    replacements[site.node] = _escape(site.node, True)
                continue
            numeric = _numeric_values(ctx, site)
            for index, val in enumerate(site.template.values):
                helpers = _calls_html_function(ctx, val.expr)
                if helpers:  # its HTML is escaped inside the helper (see _helper_sites)
                    for helper in helpers:
                        for extra in _helper_sites(helper):
                            if id(extra.node) not in seen:
                                seen.add(id(extra.node))
                                sites.append(extra)
                    continue
                if index in numeric:
                    continue  # "%d" % value: a number carries no markup
                receiver = _html_method_receiver(val.expr)
                if receiver is not None and taint.tainted(receiver):
                    # body.replace("\n", "<br>"): escape the text, keep the markup added
                    replacements[receiver] = _escape(receiver, True)
                    continue
                if (
                    val.expr in replacements
                    or _holds_html(val.expr)
                    or (isinstance(val.expr, cst.Name) and val.expr.value in local_html)
                    or _path(val.expr) in module_html
                ):
                    continue  # HTML built inside the value is escaped where it is built
                if not taint.tainted(val.expr):
                    continue
                in_fstring = isinstance(ctx.parent(val.expr), cst.FormattedStringExpression)
                as_str = site.template.kind == "concat" and not in_fstring
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
        template = parse_template(arg)
        if template is not None and template.values and _is_html(template):
            return _markup_format(ctx, node, template, taint)
        if template is not None or not taint.tainted(arg):
            return None  # a template inside Markup(...) is handled by the generic path
        new = cst.Call(func=cst.parse_expression("markupsafe.escape"), args=[cst.Arg(arg)])
        return Edit(
            replacements={node: new.with_changes(lpar=node.lpar, rpar=node.rpar)},
            imports=(Import(module="markupsafe"),),
            description="Escape the value with `markupsafe.escape` instead of trusting it as"
            " markup with `Markup(...)`.",
        )

    def _render_string(self, ctx: FixContext, node: cst.Call) -> Edit | Declined | None:
        args = positional(node)
        if not args:
            return None
        source = args[0].value
        assign: cst.Assign | None = None
        if isinstance(source, cst.Name):  # template = "<p>" + name + "</p>"; render(template)
            assign = single_assignment(ctx, node, source.value)
            fn = ctx.enclosing(node, cst.FunctionDef)
            if assign is None or fn is None or len(name_uses(fn, source.value)) != 2:
                return None
            source = assign.value
        template = parse_template(source)
        if template is None and _Taint(ctx, ctx.enclosing(node, cst.FunctionDef)).tainted(source):
            return Declined(
                reason="the whole template source comes from the request (template injection):"
                " it needs a sandboxed environment or plain-text rendering, not a rewrite"
            )
        if template is None or not template.values or any(a.star for a in node.args):
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
            name = _context_name(expr) or f"value{len(context)}"
            if name in existing or any(n == name for n, _ in context) or not part.plain:
                return None
            context.append((name, expr))
            text += "{{ " + name + " }}"
        literal = cst.SimpleString(quote_text(text, template.quote))
        new_args = [cst.Arg(literal if assign is None else args[0].value)]
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
        replacements: dict[cst.CSTNode, Replacement] = {node: node.with_changes(args=new_args)}
        if assign is not None:
            replacements[assign] = assign.with_changes(value=literal)
        return Edit(
            replacements=replacements,
            description="Pass the values to `render_template_string` as template variables"
            " (autoescaped by Jinja) instead of formatting them into the template source.",
        )


def _context_name(expr: cst.BaseExpression) -> str:
    """A template variable name for a value: ``name``, ``request.path`` -> ``path``,
    ``form["title"]`` -> ``title``."""
    name = storage_name(expr)
    return name if name is not None and name.isidentifier() else ""


def _escaped(ctx: FixContext, expr: cst.BaseExpression) -> bool:
    """``escape(x)`` or ``str(escape(x))``."""
    if (
        isinstance(expr, cst.Call)
        and isinstance(expr.func, cst.Name)
        and expr.func.value == "str"
        and len(expr.args) == 1
    ):
        expr = expr.args[0].value
    return isinstance(expr, cst.Call) and bool(ctx.qualified_names(expr.func) & _ESCAPES)


@dataclass
class _Site:
    """An expression that builds HTML (``template`` set), or a value appended to HTML."""

    node: cst.BaseExpression
    template: Template | None
    helper: cst.FunctionDef | None = None  # inside a helper called with request data
    params: bool = True  # the helper's parameters carry request data
    flow: bool = False  # found on the engine's data flow, not from the reported line


def _holds_html(expr: cst.CSTNode) -> bool:
    """Whether HTML is built inside ``expr`` (``"".join(f"<li>{x}</li>" for x in xs)``)."""
    found = False

    class V(cst.CSTVisitor):
        def visit_SimpleString(self, node: cst.SimpleString) -> None:
            nonlocal found
            value = node.evaluated_value
            if isinstance(value, str) and "<" in value and ">" in value:
                found = True

        def visit_FormattedStringText(self, node: cst.FormattedStringText) -> None:
            nonlocal found
            if "<" in node.value and ">" in node.value:
                found = True

    expr.visit(V())
    return found


def _html_function(ctx: FixContext, expr: cst.BaseExpression) -> cst.FunctionDef | None:
    """The function of this module that ``expr`` calls, when it builds HTML."""
    if not (isinstance(expr, cst.Call) and isinstance(expr.func, cst.Name)):
        return None
    for stmt in ctx.module.body:
        if isinstance(stmt, cst.FunctionDef) and stmt.name.value == expr.func.value:
            return stmt if _holds_html(stmt.body) else None
    return None


def _helper_sites(fn: cst.FunctionDef) -> list[_Site]:
    """The HTML-building expressions of a helper function."""
    sites: list[_Site] = []

    class V(cst.CSTVisitor):
        def visit_FormattedString(self, node: cst.FormattedString) -> None:
            self._add(node)

        def visit_BinaryOperation(self, node: cst.BinaryOperation) -> None:
            self._add(node)

        def visit_Call(self, node: cst.Call) -> None:
            self._add(node)

        def _add(self, node: cst.BaseExpression) -> None:
            template = parse_template(node)
            if template is not None and template.values and _is_html(template):
                sites.append(_Site(node, template, fn))

    fn.body.visit(V())
    return sites


def _html_method_receiver(expr: cst.BaseExpression) -> cst.BaseExpression | None:
    """``text.replace("\n", "<br>")``: a string method that adds markup to its receiver."""
    if (
        isinstance(expr, cst.Call)
        and isinstance(expr.func, cst.Attribute)
        and expr.func.attr.value in {"replace", "join", "format"}
        and not _holds_html(expr.func.value)
        and any(_holds_html(a.value) for a in expr.args)
        and isinstance(expr.func.value, cst.Name | cst.Attribute | cst.Subscript | cst.Call)
    ):
        return expr.func.value
    return None


def _literal_named(ctx: FixContext, name: cst.Name) -> cst.BaseExpression | None:
    """The string literal a name is bound to once, in its function or at module level."""
    assign = single_assignment(ctx, name, name.value)
    if assign is None:
        values = [
            small.value
            for stmt in ctx.module.body
            if isinstance(stmt, cst.SimpleStatementLine)
            for small in stmt.body
            if isinstance(small, cst.Assign)
            and len(small.targets) == 1
            and isinstance(small.targets[0].target, cst.Name)
            and small.targets[0].target.value == name.value
        ]
        if len(values) != 1:
            return None
        value = values[0]
    else:
        value = assign.value
    return value if isinstance(value, cst.SimpleString | cst.ConcatenatedString) else None


def _named_format(ctx: FixContext, expr: cst.BaseExpression) -> Template | None:
    """``PAGE % value``, ``PAGE.format(...)`` and ``PAGE.format_map({...})`` where ``PAGE`` names
    a string literal: read with the literal in place (the values stay the original nodes)."""
    if (
        isinstance(expr, cst.BinaryOperation)
        and isinstance(expr.operator, cst.Modulo)
        and isinstance(expr.left, cst.Name)
    ):
        literal = _literal_named(ctx, expr.left)
        return None if literal is None else parse_template(expr.with_changes(left=literal))
    if not (
        isinstance(expr, cst.Call)
        and isinstance(expr.func, cst.Attribute)
        and isinstance(expr.func.value, cst.Name)
        and expr.func.attr.value in {"format", "format_map"}
    ):
        return None
    literal = _literal_named(ctx, expr.func.value)
    if literal is None:
        return None
    call = expr.with_changes(func=expr.func.with_changes(value=literal, attr=cst.Name("format")))
    if expr.func.attr.value == "format_map":
        if len(expr.args) != 1 or not isinstance(expr.args[0].value, cst.Dict):
            return None
        args: list[cst.Arg] = []
        for el in expr.args[0].value.elements:
            if not isinstance(el, cst.DictElement) or not isinstance(el.key, cst.SimpleString):
                return None
            key = el.key.evaluated_value
            if not isinstance(key, str) or not key.isidentifier():
                return None
            args.append(cst.Arg(el.value, keyword=cst.Name(key)))
        call = call.with_changes(args=args)
    return parse_template(call)


def _alternatives(expr: cst.BaseExpression) -> list[cst.BaseExpression]:
    """The values an expression may take: both branches of ``a if c else b``, both sides of
    ``a or b``."""
    if isinstance(expr, cst.IfExp):
        return _alternatives(expr.body) + _alternatives(expr.orelse)
    if isinstance(expr, cst.BooleanOperation):
        return _alternatives(expr.left) + _alternatives(expr.right)
    return [expr]


def _writes(fn: cst.FunctionDef, var: str) -> list[cst.Assign | cst.AugAssign]:
    """The assignments and augmented assignments of ``var`` in ``fn``."""
    out: list[cst.Assign | cst.AugAssign] = []

    class V(cst.CSTVisitor):
        def visit_Assign(self, node: cst.Assign) -> None:
            if any(isinstance(t.target, cst.Name) and t.target.value == var for t in node.targets):
                out.append(node)

        def visit_AugAssign(self, node: cst.AugAssign) -> None:
            target = node.target
            if (
                isinstance(target, cst.Name)
                and target.value == var
                and isinstance(node.operator, cst.AddAssign)
            ):
                out.append(node)

    fn.body.visit(V())
    return out


# --- the reported data flow ------------------------------------------------------------------

_STORED = re.compile(r"^stored in module-level (.+)$")
_ASSIGNED = re.compile(r"^assigned to ([A-Za-z_][A-Za-z0-9_]*)$")
_PASSED = re.compile(r"^passed to ([A-Za-z_][A-Za-z0-9_.]*)\(\)$")


@dataclass(frozen=True)
class _FlowFacts:
    """What the engine's data flow says about this file: the lines it passes through, the
    module-level state it stores request data in, the local names it assigns and the functions
    of the module it passes the data to."""

    lines: tuple[int, ...]
    stored: frozenset[str]
    stored_at: frozenset[tuple[int, str]]
    assigned: frozenset[tuple[int, str]]
    called: frozenset[str]

    @staticmethod
    def of(ctx: FixContext) -> _FlowFacts:
        path = ctx.finding.location.path
        lines: list[int] = []
        stored: set[str] = set()
        stored_at: set[tuple[int, str]] = set()
        assigned: set[tuple[int, str]] = set()
        called: set[str] = set()
        for step in ctx.finding.flow:
            if step.location.path != path:
                continue
            line = step.location.start_line
            if line not in lines:
                lines.append(line)
            if m := _STORED.match(step.message):
                stored.add(m.group(1))
                stored_at.add((line, m.group(1)))
            elif m := _ASSIGNED.match(step.message):
                assigned.add((line, m.group(1)))
            elif m := _PASSED.match(step.message):
                called.add(m.group(1).rsplit(".", 1)[-1])
        return _FlowFacts(
            tuple(lines),
            frozenset(stored),
            frozenset(stored_at),
            frozenset(assigned),
            frozenset(called),
        )


def _path(expr: cst.BaseExpression) -> str:
    """``STATE.last_query``, ``SETTINGS['footer']``, ``ITEMS[0]`` as the engine names stored
    state ("" for anything else)."""
    if isinstance(expr, cst.Name):
        return expr.value
    if isinstance(expr, cst.Attribute):
        base = _path(expr.value)
        return f"{base}.{expr.attr.value}" if base else ""
    if isinstance(expr, cst.Subscript) and len(expr.slice) == 1:
        base = _path(expr.value)
        idx = expr.slice[0].slice
        if not base or not isinstance(idx, cst.Index):
            return ""
        if isinstance(idx.value, cst.SimpleString):
            key = idx.value.evaluated_value
            return f"{base}[{key!r}]" if isinstance(key, str) else ""
        if isinstance(idx.value, cst.Integer):
            return f"{base}[{idx.value.evaluated_value}]"
    return ""


def _expressions_at(ctx: FixContext, lines: Iterable[int]) -> dict[int, list[cst.BaseExpression]]:
    """For each line, the expressions whose span contains it, innermost first."""
    wanted = set(lines)
    found: dict[int, list[tuple[int, int, cst.BaseExpression]]] = {n: [] for n in wanted}

    class V(cst.CSTVisitor):
        def on_visit(self, node: cst.CSTNode) -> bool:
            if isinstance(node, cst.BaseExpression):
                pos = ctx.position(node)
                for line in wanted.intersection(range(pos.start.line, pos.end.line + 1)):
                    span = pos.end.line - pos.start.line
                    found[line].append((span, pos.start.column, node))
            return True

    ctx.module.visit(V())
    return {
        line: [n for _, _, n in sorted(nodes, key=lambda t: (t[0], t[1]))]
        for line, nodes in found.items()
    }


def _html_sites_in(
    ctx: FixContext, exprs: list[cst.BaseExpression], facts: _FlowFacts
) -> list[_Site]:
    sites: list[_Site] = []
    for expr in exprs:
        if not isinstance(expr, cst.FormattedString | cst.BinaryOperation | cst.Call):
            continue
        template = parse_template(expr) or _named_format(ctx, expr)
        if template is None or not template.values or not _is_html(template):
            continue
        fn = ctx.enclosing(expr, cst.FunctionDef)
        # the parameters carry the request data when the flow passes it to this function
        params = fn is not None and fn.name.value in facts.called
        sites.append(_Site(expr, template, fn, params=params, flow=True))
    return sites


def _flow_sites(ctx: FixContext) -> Iterator[list[_Site]]:
    """The HTML-building expressions on the reported flow: at its steps' lines first, then
    anywhere in the functions it passes through (a loop body the engine did not list)."""
    facts = _FlowFacts.of(ctx)
    at = _expressions_at(ctx, facts.lines)
    exprs = [e for line in facts.lines for e in at[line]]
    sites = _html_sites_in(ctx, list(dict.fromkeys(exprs)), facts)
    yield sites
    fns: list[cst.FunctionDef] = []
    for line in facts.lines:
        for expr in at[line][:1]:
            fn = ctx.enclosing(expr, cst.FunctionDef)
            if fn is not None and fn not in fns:
                fns.append(fn)
    everything: list[cst.BaseExpression] = []
    for fn in fns:

        class V(cst.CSTVisitor):
            def on_visit(self, node: cst.CSTNode) -> bool:
                if isinstance(node, cst.BaseExpression):
                    everything.append(node)
                return True

        fn.body.visit(V())
    on_lines = {id(s.node) for s in sites}
    yield [s for s in _html_sites_in(ctx, everything, facts) if id(s.node) not in on_lines]


_GROWS = {"append", "extend", "add", "insert", "appendleft"}


def _html_names(ctx: FixContext, scope: cst.CSTNode) -> set[str]:
    """Names in ``scope`` that hold HTML built there: assigned, ``+=``-ed, appended or extended
    with a value containing markup or built by an HTML helper of the module. Their values were
    escaped where the HTML was built; escaping them again would show the tags."""
    found: set[str] = set()

    def html(value: cst.BaseExpression) -> bool:
        return _holds_html(value) or _calls_html_function(ctx, value) != []

    class V(cst.CSTVisitor):
        def visit_Assign(self, node: cst.Assign) -> None:
            if html(node.value):
                for t in node.targets:
                    found.update(_target_names(t.target))

        def visit_AugAssign(self, node: cst.AugAssign) -> None:
            if isinstance(node.target, cst.Name) and html(node.value):
                found.add(node.target.value)

        def visit_Call(self, node: cst.Call) -> None:
            func = node.func
            if (
                isinstance(func, cst.Attribute)
                and isinstance(func.value, cst.Name)
                and func.attr.value in _GROWS
                and any(html(a.value) for a in node.args)
            ):
                found.add(func.value.value)

    scope.visit(V())
    return found


def _calls_html_function(ctx: FixContext, expr: cst.CSTNode) -> list[cst.FunctionDef]:
    """The HTML-building functions of this module called inside ``expr``
    (``"".join(entry_html(e) for e in entries)``)."""
    found: list[cst.FunctionDef] = []

    class V(cst.CSTVisitor):
        def visit_Call(self, node: cst.Call) -> None:
            helper = _html_function(ctx, node)
            if helper is not None and helper not in found:
                found.append(helper)

    expr.visit(V())
    return found


_CONVERSION = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?([a-zA-Z%])")


def _numeric_values(ctx: FixContext, site: _Site) -> set[int]:
    """Indexes of the values a ``%`` template formats as numbers (``%d``): escaping them would
    make ``%d`` fail on a string, and a number carries no markup."""
    if site.template is None or site.template.kind != "percent":
        return set()
    node = site.node
    if not isinstance(node, cst.BinaryOperation):
        return set()
    left = node.left
    if isinstance(left, cst.Name):
        named = _literal_named(ctx, left)
        if named is None:
            return set()
        left = named
    if not isinstance(left, cst.SimpleString | cst.ConcatenatedString):
        return set()
    fmt = left.evaluated_value
    if not isinstance(fmt, str):
        return set()
    convs = [m.group(1) for m in _CONVERSION.finditer(fmt) if m.group(1) != "%"]
    return {i for i, c in enumerate(convs) if c in "di"}


def _module_html_names(ctx: FixContext) -> set[str]:
    """Module-level names that hold HTML: built with markup at module level, through ``global``
    in a function, or grown with markup (``LOG.append("<li>...")``). The stored text was
    escaped (or is to be) where the markup was put around it, not where it is read."""
    top = ctx.top_level_names()
    found = {n for n in _html_names(ctx, _module_statements(ctx.module)) if n in top}
    for node in _functions(ctx.module):
        local = _html_names(ctx, node.body)
        declared = _globals(node)
        assigned = _assigned_names(node.body)
        found |= {n for n in local if n in top and (n in declared or n not in assigned)}
    # State the engine saw raw request data stored in (no markup where it is stored) holds
    # text, whatever markup it was set to elsewhere (``BANNER = "<b>hi</b>"`` as a default).
    stored_at = _FlowFacts.of(ctx).stored_at
    at = _expressions_at(ctx, {line for line, _ in stored_at})
    for line, path in stored_at:
        fn = ctx.enclosing(at[line][0], cst.FunctionDef) if at[line] else None
        local = _html_names(ctx, fn.body) if fn is not None else set()
        if not any(
            _holds_html(e) or (isinstance(e, cst.Name) and e.value in local) for e in at[line]
        ):
            found.discard(re.split(r"[.\[]", path, maxsplit=1)[0])
    return found


def _module_statements(module: cst.Module) -> cst.Module:
    return module.with_changes(
        body=[s for s in module.body if isinstance(s, cst.SimpleStatementLine)]
    )


def _functions(module: cst.Module) -> list[cst.FunctionDef]:
    found: list[cst.FunctionDef] = []

    class V(cst.CSTVisitor):
        def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
            found.append(node)

    module.visit(V())
    return found


def _globals(fn: cst.FunctionDef) -> set[str]:
    found: set[str] = set()

    class V(cst.CSTVisitor):
        def visit_Global(self, node: cst.Global) -> None:
            found.update(n.name.value for n in node.names)

    fn.body.visit(V())
    return found


def _assigned_names(scope: cst.CSTNode) -> set[str]:
    found: set[str] = set()

    class V(cst.CSTVisitor):
        def visit_Assign(self, node: cst.Assign) -> None:
            for t in node.targets:
                found.update(_target_names(t.target))

        def visit_AugAssign(self, node: cst.AugAssign) -> None:
            found.update(_target_names(node.target))

        def visit_For(self, node: cst.For) -> None:
            found.update(_target_names(node.target))

    scope.visit(V())
    return found


def _html_params(ctx: FixContext, fn: cst.FunctionDef) -> set[str]:
    """Parameters of ``fn`` that some call in the module passes HTML to (``layout("<main>" +
    body + "</main>")``): they take markup built (and escaped) by the caller."""
    params = fn.params.params
    found: set[str] = set()
    name = fn.name.value

    class V(cst.CSTVisitor):
        def visit_Call(self, node: cst.Call) -> None:
            func = node.func
            called = func.value if isinstance(func, cst.Name) else None
            if isinstance(func, cst.Attribute):
                called = func.attr.value
            if called != name:
                return
            offset = (
                1
                if isinstance(func, cst.Attribute)
                and params
                and (params[0].name.value in {"self", "cls"})
                else 0
            )
            for i, arg in enumerate(node.args):
                if arg.star or not _holds_html(arg.value):
                    continue
                if arg.keyword is not None:
                    found.add(arg.keyword.value)
                elif i + offset < len(params):
                    found.add(params[i + offset].name.value)

    ctx.module.visit(V())
    return found


def _markup_format(
    ctx: FixContext, node: cst.Call, template: Template, taint: _Taint
) -> Edit | None:
    """``Markup("<p>" + text + "</p>")`` -> ``Markup("<p>{}</p>").format(text)``: the markup
    stays a constant and ``Markup.format`` escapes each value, so no string built from request
    data is ever trusted as markup. ``text.replace("\\n", "<br>")`` becomes
    ``markupsafe.escape(text).replace("\\n", Markup("<br>"))``. Only when every value comes
    from the request (a value trusted as markup on purpose would be escaped too); None
    otherwise (the generic path escapes the values inside the built string)."""
    text = ""
    values: list[cst.BaseExpression] = []
    imports = False
    numeric = _numeric_values(ctx, _Site(node.args[0].value, template))
    index = 0
    for part in template.parts:
        if isinstance(part, Lit):
            text += part.text.replace("{", "{{").replace("}", "}}")
            continue
        if not part.plain or index in numeric:
            return None
        index += 1
        expr = part.expr
        replaced = _markup_replace(node, expr, taint)
        if replaced is not None:
            values.append(replaced)
            imports = True
        elif taint.tainted(expr) and not _holds_html(expr) and not _escaped(ctx, expr):
            values.append(expr)
        else:
            return None
        text += "{}"
    literal = cst.SimpleString(quote_text(text, template.quote))
    markup = node.with_changes(args=[cst.Arg(literal)], lpar=[], rpar=[])
    new = cst.Call(
        func=cst.Attribute(value=markup, attr=cst.Name("format")),
        args=[
            cst.Arg(
                v,
                comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
                if i < len(values) - 1
                else cst.MaybeSentinel.DEFAULT,
            )
            for i, v in enumerate(values)
        ],
        lpar=node.lpar,
        rpar=node.rpar,
    )
    return Edit(
        replacements={node: new},
        imports=(Import(module="markupsafe"),) if imports else (),
        description="Keep the markup a constant and let `Markup(...).format(...)` escape the"
        " request-derived value(s), instead of trusting a string built from them as markup.",
    )


def _markup_replace(
    markup: cst.Call, expr: cst.BaseExpression, taint: _Taint
) -> cst.BaseExpression | None:
    """``text.replace("\\n", "<br>")`` (text from the request) ->
    ``markupsafe.escape(text).replace("\\n", Markup("<br>"))``."""
    receiver = _html_method_receiver(expr)
    if (
        receiver is None
        or not taint.tainted(receiver)
        or not isinstance(expr, cst.Call)
        or not isinstance(expr.func, cst.Attribute)
        or expr.func.attr.value != "replace"
        or len(expr.args) != 2
        or any(a.keyword is not None or a.star for a in expr.args)
        or not all(isinstance(a.value, cst.SimpleString) for a in expr.args)
    ):
        return None
    old, new = expr.args
    wrapped = markup.with_changes(args=[cst.Arg(new.value)], lpar=[], rpar=[])
    return expr.with_changes(
        func=expr.func.with_changes(value=_escape(receiver, False)),
        args=[old, new.with_changes(value=wrapped)],
    )
