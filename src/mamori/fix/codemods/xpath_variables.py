"""CWE-643: an XPath expression built from strings -> XPath variables bound by lxml."""

from __future__ import annotations

import keyword as pykeyword
from typing import Any

import libcst as cst

from mamori.domain import FixerId, RiskClass
from mamori.fix.codemods._base import (
    CodemodFixer,
    Edit,
    FixContext,
    Import,
    append_args,
    fstring_node,
    has_star_args,
    keyword,
    names_in,
    positional,
    quote_text,
    single_assignment,
    string_node,
)
from mamori.fix.codemods._safety import built_from_input
from mamori.fix.codemods._template import Lit, Template, Val
from mamori.fix.interface import Declined, FixerInfo

_ET_METHODS = {"find", "findall", "findtext", "iterfind"}
# lxml's compiled XPath: the variables are bound when the compiled object is called.
_COMPILED = {"lxml.etree.XPath"}
# lxml evaluators called with the expression and its variables: evaluator(path, **variables).
_EVALUATORS = {
    "lxml.etree.XPathEvaluator",
    "lxml.etree.XPathDocumentEvaluator",
    "lxml.etree.XPathElementEvaluator",
}
# A value used as location steps (`"/config/" + key`): child element names only, so that it
# cannot add predicates, axes, functions or `..` to the query.
_STEPS = r"[A-Za-z_][\w.-]*(?:/[A-Za-z_][\w.-]*)*"


def _var_name(val: Val, taken: set[str], n: int) -> str:
    expr = val.expr
    if (
        isinstance(expr, cst.Name)
        and expr.value not in taken
        and not pykeyword.iskeyword(expr.value)
    ):
        return expr.value
    name = f"v{n}"
    while name in taken:
        n += 1
        name = f"v{n}"
    return name


def _quoted_values(template: Template) -> list[tuple[int, str]] | None:
    """For each value: its index in ``parts`` and the quote around it; None when a value is
    not exactly one quoted XPath string literal (``'...'`` or ``"..."``)."""
    parts = template.parts
    found: list[tuple[int, str]] = []
    for i, p in enumerate(parts):
        if not isinstance(p, Val):
            continue
        if not p.plain or i == 0 or i == len(parts) - 1:
            return None
        before, after = parts[i - 1], parts[i + 1]
        if not isinstance(before, Lit) or not isinstance(after, Lit):
            return None
        q = before.text[-1:]
        if q not in {"'", '"'} or not after.text.startswith(q):
            return None
        found.append((i, q))
    return found


def _step_values(template: Template) -> list[int] | None:
    """The indexes in ``parts`` of the values that are location steps (after a ``/``, before
    a ``/``, a ``[`` or the end) and the values are names; None when a value that is not a
    quoted string literal is not such a step either."""
    parts = template.parts
    quoted = {i for i, _ in _quoted_values_partial(template)}
    steps: list[int] = []
    for i, p in enumerate(parts):
        if not isinstance(p, Val) or i in quoted:
            continue
        before = parts[i - 1] if i > 0 else None
        after = parts[i + 1] if i + 1 < len(parts) else None
        if not p.plain or not isinstance(p.expr, cst.Name):
            return None
        if not isinstance(before, Lit) or not before.text.endswith("/"):
            return None
        if after is not None and not (isinstance(after, Lit) and after.text[:1] in {"/", "["}):
            return None
        steps.append(i)
    return steps


def _quoted_values_partial(template: Template) -> list[tuple[int, str]]:
    """Like :func:`_quoted_values`, for the values that are quoted string literals only."""
    parts = template.parts
    found: list[tuple[int, str]] = []
    for i, p in enumerate(parts):
        if not isinstance(p, Val) or not p.plain or i == 0 or i == len(parts) - 1:
            continue
        before, after = parts[i - 1], parts[i + 1]
        if not isinstance(before, Lit) or not isinstance(after, Lit):
            continue
        q = before.text[-1:]
        if q in {"'", '"'} and after.text.startswith(q):
            found.append((i, q))
    return found


def _guard(name: str) -> cst.If:
    """``if not re.fullmatch(steps, name): raise ValueError(...)``."""
    code = (
        f'if not re.fullmatch(r"{_STEPS}", {name}):\n'
        f"    raise ValueError({quote_text(f'{name} must be element names separated by /')})\n"
    )
    stmt = cst.parse_statement(code)
    assert isinstance(stmt, cst.If)
    return stmt


class XPathVariablesFixer(CodemodFixer):
    info = FixerInfo(
        id=FixerId("mamori:fix/xpath-variables"),
        title="Bind values as XPath variables instead of building the expression",
        cwes=(643,),
        risk=RiskClass.LOW,
        risk_reason=(
            "a value that was a quoted string literal in the expression is compared as the same"
            " string when bound as a variable; only values that broke out of the quotes change"
            " meaning"
        ),
        description=(
            'Rewrites lxml `tree.xpath("//user[@name=\'" + name + "\']")` (f-string, `+`,'
            " `%` or `.format`, inline or in a variable assigned once) into"
            ' `tree.xpath("//user[@name=$name]", name=name)`, so that lxml binds the value and'
            " it cannot change the query. For ElementTree's `find/findall/findtext/iterfind`"
            " (no variables), the value is quoted with `xml.sax.saxutils.quoteattr`. A compiled"
            " `finder = etree.XPath(...)` gets `$name` variables passed at each `finder(doc,"
            " name=name)` call, and an `XPathEvaluator` call gets them like `xpath()`. A value"
            ' used as location steps (`"/config/" + key`) is checked before the statement to be'
            " element names separated by `/` (`re.fullmatch`, ValueError otherwise). Declines"
            " when a value is neither inside quotes nor a location step (a number, a predicate)."
        ),
    )

    def edit(self, ctx: FixContext) -> Edit | Declined | None:
        for node in ctx.nodes_at_line(cst.Call):
            func = node.func
            if ctx.qualified_names(func) & _COMPILED:
                return self._compiled(ctx, node)
            if isinstance(func, cst.Name):
                made = single_assignment(ctx, node, func.value)
                if (
                    made is not None
                    and isinstance(made.value, cst.Call)
                    and ctx.qualified_names(made.value.func) & _EVALUATORS
                ):
                    return self._lxml(ctx, node)
            if not isinstance(func, cst.Attribute):
                continue
            if func.attr.value == "xpath":
                return self._lxml(ctx, node)
            if func.attr.value in _ET_METHODS:
                result = self._etree(ctx, node)
                if result is not None:
                    return result
        return None

    def _lxml(self, ctx: FixContext, node: cst.Call) -> Edit | Declined | None:
        """``tree.xpath(expr)`` and ``evaluator(expr)``: the variables go to this call."""
        pos = positional(node)
        arg = pos[0] if pos else keyword(node, "_path")
        if arg is None or any(a.star for a in node.args):
            return None
        return self._bind(ctx, node, arg, [node], "_path")

    def _compiled(self, ctx: FixContext, node: cst.Call) -> Edit | Declined | None:
        """``finder = etree.XPath(expr)``: the variables go to every call of ``finder``."""
        pos = positional(node)
        arg = pos[0] if pos else keyword(node, "path")
        if arg is None or any(a.star for a in node.args):
            return None
        assign = ctx.parent(node)
        fn = ctx.enclosing(node, cst.FunctionDef)
        if (
            not isinstance(assign, cst.Assign)
            or assign.value is not node
            or len(assign.targets) != 1
            or not isinstance(assign.targets[0].target, cst.Name)
            or fn is None
        ):
            return Declined(reason="the compiled XPath is not kept in a local variable")
        bound = assign.targets[0].target
        name = bound.value
        if single_assignment(ctx, node, name) is not assign:
            return Declined(reason=f"`{name}` is assigned more than once")
        calls: list[cst.Call] = []
        other: list[cst.Name] = []

        class Uses(cst.CSTVisitor):
            def visit_Name(self, n: cst.Name) -> None:
                if n.value != name or n is bound:
                    return
                parent = ctx.parent(n)
                if isinstance(parent, cst.Call) and parent.func is n:
                    calls.append(parent)
                else:
                    other.append(n)

        fn.visit(Uses())
        if other or not calls or any(has_star_args(c) for c in calls):
            return Declined(reason=f"`{name}` is used other than by calling it here")
        return self._bind(ctx, node, arg, calls, "_etree_or_element")

    def _bind(
        self,
        ctx: FixContext,
        node: cst.Call,
        arg: cst.Arg,
        calls: list[cst.Call],
        reserved: str,
    ) -> Edit | Declined | None:
        """Replace the quoted values of the expression by XPath variables passed to
        ``calls``; check values used as location steps with a guard before the statement."""
        found = built_from_input(ctx, node, arg.value)
        if found is None or isinstance(found, Declined):
            return found
        target, template = found
        quoted = _quoted_values_partial(template)
        steps = _step_values(template)
        if steps is None:
            return Declined(reason="a value in the XPath expression is not a quoted string")
        values_at = {i: p.expr for i, p in enumerate(template.parts) if isinstance(p, Val)}
        values = list(values_at.values())
        bound_late = calls != [node] or target is not arg.value or steps
        built_at = ctx.statement_of(target) if target is not arg.value else node
        if bound_late and (built_at is None or not _stable(ctx, built_at, values)):
            return Declined(reason="a value of the expression changes before it is used")
        taken = {a.keyword.value for c in calls for a in c.args if a.keyword is not None}
        taken |= {reserved} | set().union(*(names_in(c) for c in calls))
        taken -= {v.value for v in values if isinstance(v, cst.Name)}
        index = {i for i, _ in quoted}
        step_index = set(steps)
        names: dict[int, tuple[str, cst.BaseExpression]] = {}
        text = ""
        pieces: list[str | cst.BaseExpression] = []
        for i, p in enumerate(template.parts):
            if isinstance(p, Lit):
                t = p.text
                if i - 1 in index:
                    t = t[1:]  # the closing quote of the value before
                if i + 1 in index:
                    t = t[:-1]  # the opening quote of the value after
                text += t
                pieces.append(t)
            elif i in step_index:
                pieces.append(p.expr)
                text += "{}"
            else:
                name = _var_name(p, taken, len(names) + 1)
                taken.add(name)
                names[i] = (name, p.expr)
                text += f"${name}"
                pieces.append(f"${name}")
        literal: cst.BaseExpression | None
        if steps and names:
            literal = fstring_node(pieces, ctx.module, template.quote)
            if literal is None:
                return None
        else:
            literal = string_node(text, template.quote)
        new_kwargs = [
            cst.Arg(
                expr,
                keyword=cst.Name(n),
                equal=cst.AssignEqual(
                    whitespace_before=cst.SimpleWhitespace(""),
                    whitespace_after=cst.SimpleWhitespace(""),
                ),
            )
            for n, expr in names.values()
        ]
        replacements: dict[cst.CSTNode, cst.CSTNode | cst.FlattenSentinel[cst.BaseStatement]] = {}
        if not names:
            pass  # location steps only: the expression stays, checked before the statement
        elif target is arg.value:
            expr_call = node.with_changes(
                args=[a.with_changes(value=literal) if a is arg else a for a in node.args]
            )
        else:
            replacements[target] = literal
            expr_call = node
        if names:
            for c in calls:
                base = expr_call if c is node else c
                replacements[c] = append_args(base, new_kwargs)
            if node not in replacements:
                replacements[node] = expr_call
        imports: tuple[Import, ...] = ()
        description = (
            "Bind the interpolated values as XPath variables (`$name`) that lxml passes"
            " as strings, instead of splicing them into the expression."
        )
        if steps:
            stmt = ctx.statement_of(target)
            block = ctx.parent(stmt) if stmt is not None else None
            if stmt is None or not isinstance(block, cst.IndentedBlock | cst.Module):
                return None
            siblings = list(block.body)
            earlier = {ctx.code(b).strip() for b in siblings[: siblings.index(stmt)]}
            guards = [
                g
                for g in (_guard(ctx.code(values_at[i])) for i in steps)
                if cst.Module(body=[g]).code.strip() not in earlier
            ]
            if not guards and not names:
                return None  # already checked: nothing left to do
            # The statement's own changes are made first: it is replaced as a whole.
            updated = stmt.visit(_ReplaceIn(dict(replacements)))
            assert isinstance(updated, cst.BaseStatement)
            replacements[stmt] = cst.FlattenSentinel([*guards, updated])
            imports = (Import(module="re"),)
            description += (
                " A value used as location steps must be element names separated by `/`"
                " (checked with `re.fullmatch`), so that it cannot add predicates, axes or"
                " functions."
            )
        return Edit(
            replacements=replacements,
            imports=imports,
            description=description,
            risk=RiskClass.MEDIUM if steps else None,
            risk_reason=(
                "a location-step value that is not a plain element path (predicates, `*`,"
                " `..`, attributes) now raises ValueError"
                if steps
                else None
            ),
        )

    def _etree(self, ctx: FixContext, node: cst.Call) -> Edit | Declined | None:
        pos = positional(node)
        arg = pos[0] if pos else keyword(node, "path")
        if arg is None:
            return None
        found = built_from_input(ctx, node, arg.value)
        if found is None or isinstance(found, Declined):
            return found
        target, template = found
        quoted = _quoted_values(template)
        if quoted is None:
            return Declined(reason="a value in the path expression is not a quoted string")
        if "[" not in template.literal_text:
            return None  # not a predicate: not an XPath built from data
        index = {i for i, _ in quoted}
        pieces: list[str | cst.BaseExpression] = []
        for i, p in enumerate(template.parts):
            if isinstance(p, Lit):
                t = p.text
                if i - 1 in index:
                    t = t[1:]
                if i + 1 in index:
                    t = t[:-1]
                pieces.append(t)
            else:
                pieces.append(cst.Call(func=cst.Name("quoteattr"), args=[cst.Arg(p.expr)]))
        new = fstring_node(pieces, ctx.module, template.quote)
        if new is None:
            return None
        return Edit(
            replacements={target: new},
            imports=(Import(module="xml.sax.saxutils", obj="quoteattr"),),
            description=(
                "Quote the interpolated values with `xml.sax.saxutils.quoteattr`, so that a"
                " value cannot close the string and change the path (ElementTree has no XPath"
                " variables)."
            ),
            risk=RiskClass.MEDIUM,
            risk_reason=(
                "quoteattr also turns `&`, `<`, `>` and a mixed-quote value into entities, which"
                " ElementTree does not decode: such values no longer match"
            ),
        )


def _stable(ctx: FixContext, at: cst.CSTNode, values: list[cst.BaseExpression]) -> bool:
    """Whether the values are plain reads (names, attributes, subscripts, ``.get``) of names
    not rebound from where the expression is built (``at``) on: they are read again later, at
    the calls or in a check before the statement."""
    if not all(_plain_read(v) for v in values):
        return False
    fn = ctx.enclosing(at, cst.FunctionDef)
    if fn is None:
        return False
    wanted = set().union(*(names_in(v) for v in values))
    line = ctx.position(at).start.line
    late: list[int] = []

    class V(cst.CSTVisitor):
        def _note(self, target: cst.CSTNode, node: cst.CSTNode) -> None:
            if names_in(target) & wanted:
                late.append(ctx.position(node).start.line)

        def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
            self._note(node.target, node)

        def visit_AugAssign(self, node: cst.AugAssign) -> None:
            self._note(node.target, node)

        def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
            self._note(node.target, node)

        def visit_For(self, node: cst.For) -> None:
            self._note(node.target, node)

        def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
            self._note(node.target, node)

    fn.visit(V())
    return all(n < line for n in late)


class _ReplaceIn(cst.CSTTransformer):
    def __init__(self, replacements: dict[cst.CSTNode, Any]) -> None:
        super().__init__()
        self._by_id = {id(k): v for k, v in replacements.items()}

    def on_leave(self, original_node: Any, updated_node: Any) -> Any:
        return self._by_id.get(id(original_node), updated_node)


def _plain_read(expr: cst.BaseExpression) -> bool:
    """A read without side effects that gives the same value twice: ``name``, ``a.b``,
    ``a["k"]``, ``a.get("k", "")``."""
    if isinstance(expr, cst.Name | cst.SimpleString | cst.Integer):
        return True
    if isinstance(expr, cst.Attribute):
        return _plain_read(expr.value)
    if isinstance(expr, cst.Subscript):
        return _plain_read(expr.value) and all(
            isinstance(e.slice, cst.Index) and _plain_read(e.slice.value) for e in expr.slice
        )
    if isinstance(expr, cst.Call) and isinstance(expr.func, cst.Attribute):
        return (
            expr.func.attr.value == "get"
            and _plain_read(expr.func.value)
            and all(not a.star and _plain_read(a.value) for a in expr.args)
        )
    return False
