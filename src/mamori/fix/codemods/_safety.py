"""Is the flagged value really data from outside? Reasons a fixer must decline.

A finding can be a false positive: the value reaching the sink is a constant, an element of a
constant container, checked against an allow-list first, or the call sits in a branch that never
runs. Patching such code changes safe code (and its behaviour) for nothing; the fixers ask
:func:`why_safe` first and decline with its reason. The analysis is local and conservative: it
proves safety only from what it sees in the function and the module's constants, and answers
None ("may be input") whenever it is unsure.
"""

from __future__ import annotations

from typing import Any

import libcst as cst

from mamori.fix.codemods._base import (
    FixContext,
    built_string,
    calls_in,
    dotted,
    function_params,
    names_in,
)
from mamori.fix.interface import Declined

__all__ = ["built_from_input", "is_constant", "why_safe"]

# Functions that turn constants into constants (decoding, conversion, joining).
_PURE_PREFIXES = (
    "base64.",
    "binascii.",
    "urllib.parse.",
    "os.path.",
    "posixpath.",
    "json.",
    "io.StringIO",
    "io.BytesIO",
)
_PURE_BUILTINS = {
    "builtins.str",
    "builtins.bytes",
    "builtins.int",
    "builtins.float",
    "builtins.bool",
    "builtins.repr",
    "builtins.format",
}
_PURE_METHODS = {
    "encode",
    "decode",
    "strip",
    "lstrip",
    "rstrip",
    "lower",
    "upper",
    "format",
    "join",
    "replace",
}
_MAX_DEPTH = 6


def _module_assignments(module: cst.Module, name: str) -> list[cst.BaseExpression]:
    """The values assigned to ``name`` by top-level statements (including under ``if``/``try``
    at module level, conservatively: every one counts)."""
    values: list[cst.BaseExpression] = []
    rebound = False

    class V(cst.CSTVisitor):
        def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
            nonlocal rebound
            # `global NAME` in a function may rebind it at run time.
            for stmt in node.body.body if isinstance(node.body, cst.IndentedBlock) else ():
                if isinstance(stmt, cst.SimpleStatementLine):
                    for small in stmt.body:
                        if isinstance(small, cst.Global) and any(
                            n.name.value == name for n in small.names
                        ):
                            rebound = True
            return False

        def visit_ClassDef(self, node: cst.ClassDef) -> bool:
            return False

        def visit_Assign(self, node: cst.Assign) -> None:
            for t in node.targets:
                if isinstance(t.target, cst.Name) and t.target.value == name:
                    values.append(node.value)
                elif name in names_in(t.target):
                    values.append(cst.Name("__unknown__"))

        def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
            if isinstance(node.target, cst.Name) and node.target.value == name:
                values.append(node.value if node.value is not None else cst.Name("__unknown__"))

        def visit_AugAssign(self, node: cst.AugAssign) -> None:
            if isinstance(node.target, cst.Name) and node.target.value == name:
                values.append(cst.Name("__unknown__"))

        def visit_For(self, node: cst.For) -> None:
            if name in names_in(node.target):
                values.append(cst.Name("__unknown__"))

        def visit_ImportAlias(self, node: cst.ImportAlias) -> None:
            local = node.asname.name if node.asname is not None else node.name
            if isinstance(local, cst.Name) and local.value == name:
                values.append(cst.Name("__unknown__"))

    module.visit(V())
    if rebound:
        return [cst.Name("__unknown__")]
    return values


def _block_of(ctx: FixContext, stmt: cst.CSTNode) -> cst.CSTNode | None:
    return ctx.parent(stmt)


def _reaching_value(ctx: FixContext, at: cst.CSTNode, var: str) -> cst.BaseExpression | bool | None:
    """The value of the local ``var`` at ``at``: the expression of the assignment that reaches
    it for sure, ``False`` when unknown (several may reach, or a parameter), ``None`` when the
    function never assigns it (a global)."""
    fn = ctx.enclosing(at, cst.FunctionDef)
    if fn is None:
        return False
    at_stmt = ctx.statement_of(at)
    if at_stmt is None:
        return False
    at_line = ctx.position(at_stmt).start.line
    events: list[tuple[int, cst.CSTNode, cst.BaseExpression | None]] = []

    class V(cst.CSTVisitor):
        def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
            return node is fn

        def visit_Lambda(self, node: cst.Lambda) -> bool:
            return False

        def visit_Assign(self, node: cst.Assign) -> None:
            for t in node.targets:
                if isinstance(t.target, cst.Name) and t.target.value == var:
                    events.append((ctx.position(node).start.line, node, node.value))
                elif var in names_in(t.target):
                    events.append((ctx.position(node).start.line, node, None))

        def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
            if isinstance(node.target, cst.Name) and node.target.value == var:
                events.append((ctx.position(node).start.line, node, node.value))

        def visit_AugAssign(self, node: cst.AugAssign) -> None:
            if isinstance(node.target, cst.Name) and node.target.value == var:
                events.append((ctx.position(node).start.line, node, None))

        def visit_For(self, node: cst.For) -> None:
            if var in names_in(node.target):
                events.append((ctx.position(node).start.line, node, None))

        def visit_WithItem(self, node: cst.WithItem) -> None:
            if node.asname is not None and var in names_in(node.asname.name):
                events.append((ctx.position(node).start.line, node, None))

        def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
            if isinstance(node.target, cst.Name) and node.target.value == var:
                events.append((ctx.position(node).start.line, node, None))

        def visit_Global(self, node: cst.Global) -> None:
            if any(n.name.value == var for n in node.names):
                events.append((0, node, None))

    fn.visit(V())
    before = [e for e in events if e[0] < at_line or (e[0] == 0)]
    if not before:
        return False if var in function_params(fn) or events else None
    line, node, value = max(before, key=lambda e: e[0])
    if value is None or not isinstance(node, cst.Assign | cst.AnnAssign):
        return False
    # The assignment must run on every path to `at`: its statement sits in a block that
    # contains `at`, and nothing else assigns the variable in between.
    stmt = ctx.statement_of(node)
    block = _block_of(ctx, stmt) if stmt is not None else None
    if block is None or block not in set(ctx.ancestors(at)):
        return False
    if any(line < e[0] < at_line for e in events):
        return False
    return value


def is_constant(ctx: FixContext, expr: cst.BaseExpression, at: cst.CSTNode, depth: int = 0) -> bool:
    """Whether ``expr`` (evaluated at ``at``) is built only from constants written in the code."""
    if depth > _MAX_DEPTH:
        return False
    if isinstance(
        expr, cst.SimpleString | cst.ConcatenatedString | cst.Integer | cst.Float | cst.Imaginary
    ):
        return True
    if isinstance(expr, cst.Name):
        if expr.value in {"True", "False", "None"}:
            return True
        value = _reaching_value(ctx, at, expr.value)
        if value is False:
            return False
        if value is None:  # a global: every module-level assignment must be a constant
            values = _module_assignments(ctx.module, expr.value)
            return bool(values) and all(
                is_constant(ctx, v, ctx.module, depth + 1)
                for v in values
                if not (isinstance(v, cst.Name) and v.value == expr.value)
            )
        assert isinstance(value, cst.BaseExpression)
        return is_constant(ctx, value, value, depth + 1)
    if isinstance(expr, cst.FormattedString):
        return all(
            is_constant(ctx, p.expression, at, depth + 1)
            for p in expr.parts
            if isinstance(p, cst.FormattedStringExpression)
        )
    if isinstance(expr, cst.BinaryOperation):
        return is_constant(ctx, expr.left, at, depth + 1) and is_constant(
            ctx, expr.right, at, depth + 1
        )
    if isinstance(expr, cst.UnaryOperation):
        return is_constant(ctx, expr.expression, at, depth + 1)
    if isinstance(expr, cst.Tuple | cst.List | cst.Set):
        return all(
            isinstance(e, cst.Element) and is_constant(ctx, e.value, at, depth + 1)
            for e in expr.elements
        )
    if isinstance(expr, cst.Subscript):
        return _constant_element(ctx, expr, at, depth) or _lookup_in_constant_table(
            ctx, expr.value, at, depth
        )
    if isinstance(expr, cst.Call):
        if any(a.star for a in expr.args):
            return False
        getter = expr.func
        if (
            isinstance(getter, cst.Attribute)
            and getter.attr.value == "get"
            and _lookup_in_constant_table(ctx, getter.value, at, depth)
            and all(is_constant(ctx, a.value, at, depth + 1) for a in expr.args[1:])
        ):
            return True
        if not all(is_constant(ctx, a.value, at, depth + 1) for a in expr.args):
            return False
        names = ctx.qualified_names(expr.func)
        if names & _PURE_BUILTINS or any(n.startswith(_PURE_PREFIXES) for n in names):
            return True
        func = expr.func
        if isinstance(func, cst.Attribute) and func.attr.value in _PURE_METHODS:
            return is_constant(ctx, func.value, at, depth + 1)
        return False
    return False


def _lookup_in_constant_table(
    ctx: FixContext, table: cst.BaseExpression, at: cst.CSTNode, depth: int
) -> bool:
    """``TABLE[key]`` / ``TABLE.get(key)`` of a module-level dict whose values are all constants:
    whatever the key, the result is one of them."""
    if not isinstance(table, cst.Name) or _reaching_value(ctx, at, table.value) is not None:
        return False
    values = _module_assignments(ctx.module, table.value)
    if len(values) != 1 or not isinstance(values[0], cst.Dict):
        return False
    return all(
        isinstance(el, cst.DictElement) and is_constant(ctx, el.value, ctx.module, depth + 1)
        for el in values[0].elements
    )
    return False


def _constant_element(ctx: FixContext, expr: cst.Subscript, at: cst.CSTNode, depth: int) -> bool:
    """``d["k"]`` where ``d`` is a dict display (directly or through one local assignment)
    whose entry ``"k"`` is a constant."""
    if len(expr.slice) != 1 or not isinstance(expr.slice[0].slice, cst.Index):
        return False
    key = expr.slice[0].slice.value
    if not isinstance(key, cst.SimpleString | cst.Integer):
        return False
    container: cst.BaseExpression | None = expr.value
    if isinstance(container, cst.Name):
        value = _reaching_value(ctx, at, container.value)
        if not isinstance(value, cst.BaseExpression):
            return False
        container = value
    if isinstance(container, cst.Dict):
        for el in container.elements:
            if not isinstance(el, cst.DictElement):
                return False  # `**other`: the key may come from there
        matches = [
            el
            for el in container.elements
            if isinstance(el, cst.DictElement)
            and isinstance(el.key, type(key))
            and el.key.evaluated_value == key.evaluated_value
        ]
        return bool(matches) and is_constant(ctx, matches[-1].value, at, depth + 1)
    return False


def _constant_truth(ctx: FixContext, expr: cst.BaseExpression) -> bool | None:
    """The truth value of a test built from module constants (None when not constant)."""
    if isinstance(expr, cst.Name):
        if expr.value in {"True", "False", "None"}:
            return expr.value == "True"
        values = _module_assignments(ctx.module, expr.value)
        if len(values) != 1:
            return None
        return _constant_truth(ctx, values[0])
    if isinstance(expr, cst.Integer):
        return int(expr.value, 0) != 0
    if isinstance(expr, cst.UnaryOperation) and isinstance(expr.operator, cst.Not):
        inner = _constant_truth(ctx, expr.expression)
        return None if inner is None else not inner
    return None


def _in_dead_branch(ctx: FixContext, node: cst.CSTNode) -> bool:
    child: cst.CSTNode = node
    for anc in ctx.ancestors(node):
        if isinstance(anc, cst.If):
            truth = _constant_truth(ctx, anc.test)
            if truth is False and child is anc.body:
                return True
            if truth is True and child is anc.orelse:
                return True
        if isinstance(anc, cst.FunctionDef):
            return False
        child = anc
    return False


def _exits(block: cst.BaseSuite) -> bool:
    """Whether a block always leaves the function (return, raise, abort(...))."""
    stmts = block.body if isinstance(block, cst.IndentedBlock) else [block]
    if not stmts:
        return False
    last = stmts[-1]
    small = last.body[-1] if isinstance(last, cst.SimpleStatementLine) and last.body else None
    if isinstance(small, cst.Return | cst.Raise | cst.Continue | cst.Break):
        return True
    if isinstance(small, cst.Expr) and isinstance(small.value, cst.Call):
        return dotted(small.value.func).split(".")[-1] in {"abort", "exit", "_exit"}
    return False


def _membership(test: cst.BaseExpression) -> tuple[set[str], bool] | None:
    """(names tested, negated) for ``x in ALLOWED`` / ``x not in ALLOWED``."""
    if not isinstance(test, cst.Comparison) or len(test.comparisons) != 1:
        return None
    op = test.comparisons[0].operator
    if isinstance(op, cst.In):
        return names_in(test.left), False
    if isinstance(op, cst.NotIn):
        return names_in(test.left), True
    return None


def _checked_names(ctx: FixContext, node: cst.CSTNode) -> set[str]:
    """Variables checked against a collection on every path to ``node``: ``node`` is inside
    ``if x in ALLOWED:``, or follows ``if x not in ALLOWED: return/raise`` in a block."""
    checked: set[str] = set()
    child: cst.CSTNode = node
    for anc in ctx.ancestors(node):
        if isinstance(anc, cst.If) and child is anc.body:
            m = _membership(anc.test)
            if m is not None and not m[1]:
                checked |= m[0]
        if isinstance(anc, cst.IndentedBlock):
            for stmt in anc.body:
                if stmt is child:
                    break
                if isinstance(stmt, cst.If) and stmt.orelse is None and _exits(stmt.body):
                    m = _membership(stmt.test)
                    if m is not None and m[1]:
                        checked |= m[0]
        if isinstance(anc, cst.FunctionDef):
            break
        child = anc
    return checked


def _allow_listed(ctx: FixContext, node: cst.CSTNode, expr: cst.BaseExpression) -> str | None:
    """Every variable in ``expr`` is checked against an allow-list before ``node`` (or is a
    constant): the reason, else None."""
    fn = ctx.enclosing(node, cst.FunctionDef)
    if fn is None:
        return None
    checked = _checked_names(ctx, node)
    if not checked:
        return None
    local = set(function_params(fn)) | _assigned_in(fn)
    variables = {n for n in names_in(expr) if n in local}
    if not variables or not variables & checked:
        return None
    for var in variables - checked:
        if not is_constant(ctx, cst.Name(var), node):
            return None
    return f"`{sorted(variables & checked)[0]}` is checked against an allow-list first"


def _assigned_in(fn: cst.FunctionDef) -> set[str]:
    found: set[str] = set()

    class V(cst.CSTVisitor):
        def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
            found.update(names_in(node.target))

        def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
            found.update(names_in(node.target))

    fn.visit(V())
    return found


def why_safe(
    ctx: FixContext, node: cst.CSTNode, expr: cst.BaseExpression | None, *, depth: int = 0
) -> str | None:
    """Why the value ``expr`` used by the flagged ``node`` cannot carry attacker data, or None.

    ``expr`` None checks only whether ``node`` can run at all.
    """
    if _in_dead_branch(ctx, node):
        return "the code sits in a branch whose condition is a constant that never holds"
    if expr is None:
        return None
    if is_constant(ctx, expr, node):
        return "the value is a constant written in the code, not input"
    if _numeric(ctx, expr, node):
        return "the value is converted to a number first: it cannot carry code or markup"
    expr = _element_value(ctx, expr, node) or expr
    return _allow_listed(ctx, node, expr) or _callers_safe(ctx, node, expr, depth)


def _element_value(
    ctx: FixContext, expr: cst.BaseExpression, at: cst.CSTNode
) -> cst.BaseExpression | None:
    """For ``d["k"]`` of a local dict display, the expression stored under ``"k"``."""
    if not (
        isinstance(expr, cst.Subscript)
        and len(expr.slice) == 1
        and isinstance(expr.slice[0].slice, cst.Index)
        and isinstance(expr.slice[0].slice.value, cst.SimpleString)
        and isinstance(expr.value, cst.Name)
    ):
        return None
    key = expr.slice[0].slice.value.evaluated_value
    container = _reaching_value(ctx, at, expr.value.value)
    if not isinstance(container, cst.Dict):
        return None
    found = [
        el.value
        for el in container.elements
        if isinstance(el, cst.DictElement)
        and isinstance(el.key, cst.SimpleString)
        and el.key.evaluated_value == key
    ]
    return (
        found[-1]
        if found and all(isinstance(el, cst.DictElement) for el in container.elements)
        else None
    )


def _callers_safe(
    ctx: FixContext, node: cst.CSTNode, expr: cst.BaseExpression, depth: int
) -> str | None:
    """``expr`` depends on one parameter of an undecorated module function, and every call of
    that function in the module passes a value that is safe by the rules above."""
    fn = ctx.enclosing(node, cst.FunctionDef)
    if fn is None or fn.decorators or depth > 2 or ctx.enclosing(fn, cst.ClassDef) is not None:
        return None
    params = fn.params.params
    local = {p.name.value for p in params}
    variables = {n for n in names_in(expr) if n in local | _assigned_in(fn)}
    tainted = {v for v in variables if not is_constant(ctx, cst.Name(v), node)}
    if len(tainted) != 1:
        return None
    (param,) = tainted
    if param not in local or _reaching_value(ctx, node, param) is not False:
        return None
    if param in _assigned_in(fn):
        return None
    index = next(i for i, p in enumerate(params) if p.name.value == param)
    calls = [
        c
        for c in calls_in(ctx.module)
        if isinstance(c.func, cst.Name) and c.func.value == fn.name.value
    ]
    if not calls or any(a.star for c in calls for a in c.args):
        return None
    for call in calls:
        arg = next((a for a in call.args if a.keyword and a.keyword.value == param), None)
        if arg is None:
            pos = [a for a in call.args if a.keyword is None]
            arg = pos[index] if index < len(pos) else None
        if arg is None:
            return None
        if why_safe(ctx, call, arg.value, depth=depth + 1) is None:
            return None
    return (
        f"every call of `{fn.name.value}` in the module passes a constant or checked"
        f" `{param}`, or sits in dead code"
    )


_NUMBER = {"builtins.int", "builtins.float", "builtins.bool", "builtins.len", "builtins.round"}


def _numeric(ctx: FixContext, expr: cst.BaseExpression, at: cst.CSTNode) -> bool:
    """``int(x)`` / ``float(x)`` (directly or through the local's reaching assignment)."""
    if isinstance(expr, cst.Name):
        value = _reaching_value(ctx, at, expr.value)
        if not isinstance(value, cst.BaseExpression):
            return False
        expr = value
    return isinstance(expr, cst.Call) and bool(ctx.qualified_names(expr.func) & _NUMBER)


def built_from_input(
    ctx: FixContext, call: cst.Call, expr: cst.BaseExpression
) -> tuple[cst.BaseExpression, Any] | Declined | None:
    """:func:`built_string` of ``expr`` (the string-building expression and its template),
    Declined with :func:`why_safe`'s reason when that expression cannot carry input, None
    when ``expr`` builds no string."""
    found = built_string(ctx, call, expr)
    if found is None:
        return None
    why = why_safe(ctx, call, found[0])
    return Declined(reason=why) if why is not None else found
