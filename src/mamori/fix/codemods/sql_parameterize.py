"""CWE-89: a query built from strings -> a constant query with driver placeholders."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass

import libcst as cst

from mamori.domain import FixerId, RiskClass
from mamori.fix.codemods._base import (
    CodemodFixer,
    Edit,
    FixContext,
    Import,
    Replacement,
    append_args,
    dotted,
    fstring_node,
    keyword,
    names_in,
    positional,
    quote_text,
    single_assignment,
)
from mamori.fix.codemods._template import Template, Val, parse_template
from mamori.fix.interface import Declined, FixerInfo

_QMARK_DRIVERS = {"sqlite3", "aiosqlite", "pysqlite2", "sqlcipher3"}
# Django's connection.cursor() takes %s placeholders whatever the database.
_FORMAT_DRIVERS = {
    "psycopg",
    "psycopg2",
    "MySQLdb",
    "pymysql",
    "mysql",
    "pgdb",
    "aiomysql",
    "aiopg",
    "django",
}
# Modules whose presence (without a DB-API driver) means queries run through SQLAlchemy, where
# a raw SQL string must be wrapped in text() to take named parameters.
_SQLALCHEMY = {"sqlalchemy", "flask_sqlalchemy", "sqlmodel"}
_TEXT_FUNCS = {"sqlalchemy.text", "sqlalchemy.sql.text", "sqlalchemy.sql.expression.text"}
_EXECUTE = {"execute", "executemany"}

# SQL words after which an interpolated value is a value (not an identifier or a clause).
_VALUE_WORDS = {"LIKE", "ILIKE", "LIMIT", "OFFSET", "THEN", "ELSE", "BETWEEN", "GLOB", "REGEXP"}
_VALUE_OPS = ("<=", ">=", "<>", "!=", "==", "=", "<", ">", "||", "+", "-", "*", "/")
_WORD_BEFORE = re.compile(r"([A-Za-z_]+)\s*$")
_BETWEEN_AND = re.compile(r"BETWEEN\s+\S+\s+AND\s*$", re.IGNORECASE)


class Paramstyle:
    QMARK = "qmark"
    FORMAT = "format"
    NAMED = "named"


@dataclass
class _Query:
    sql: str
    params: list[tuple[str, cst.BaseExpression]]  # (name, expression)


class _Refuse(Exception):
    """The query cannot be parameterised safely (identifier position, shell of quotes, ...)."""


def _param_name(expr: cst.BaseExpression, taken: set[str], index: int) -> str:
    base = ""
    if isinstance(expr, cst.Name):
        base = expr.value
    elif isinstance(expr, cst.Attribute):
        base = expr.attr.value
    elif isinstance(expr, cst.Subscript) and len(expr.slice) == 1:
        idx = expr.slice[0].slice
        if isinstance(idx, cst.Index) and isinstance(idx.value, cst.SimpleString):
            value = idx.value.evaluated_value
            if isinstance(value, str) and value.isidentifier():
                base = value
    if not base or not base.isidentifier():
        base = f"p{index}"
    name, n = base, 2
    while name in taken:
        name, n = f"{base}_{n}", n + 1
    taken.add(name)
    return name


def build_query(
    template: Template,
    style: str,
    module: cst.Module,
    *,
    taken: set[str] | None = None,
    allow_empty: bool = False,
) -> _Query:
    """Rewrite the template's SQL with placeholders; raises _Refuse when unsafe.

    ``taken`` holds the parameter names already used by other pieces of the same query;
    ``allow_empty`` accepts a piece with no value (a constant step of a query built in steps).
    """
    out = ""
    params: list[tuple[str, cst.BaseExpression]] = []
    taken = set() if taken is None else taken
    quote: str | None = None  # the SQL quote we are inside
    lit_pieces: list[str | cst.BaseExpression] = []  # contents of the current '...' literal
    lit_raw = ""  # its source text, to emit unchanged when it has no values
    groups: list[str] = []  # open parentheses: "values" or "other"
    pending_check_after = False
    after_quoted = False  # the last placeholder replaced a quoted literal ('x'AND -> ? AND)

    def placeholder(expr: cst.BaseExpression) -> str:
        name = _param_name(expr, taken, len(params))
        params.append((name, expr))
        if style == Paramstyle.QMARK:
            return "?"
        if style == Paramstyle.FORMAT:
            return "%s"
        return f":{name}"

    def esc(text: str) -> str:
        return text.replace("%", "%%") if style == Paramstyle.FORMAT else text

    parts = list(template.parts)
    for part in parts:
        if isinstance(part, Val):
            if not part.plain:
                raise _Refuse("a value with a format specification")
            if quote == "'":
                lit_pieces.append(part.expr)
                continue
            if quote is not None:
                raise _Refuse("a value inside a quoted identifier")
            before = out.rstrip()
            if before and (before[-1].isalnum() or before[-1] in "._") and before == out:
                raise _Refuse("a value glued to an identifier")
            ok = before.endswith(_VALUE_OPS) and not before.endswith("--")
            word = _WORD_BEFORE.search(before)
            if word and word.group(1).upper() in _VALUE_WORDS:
                ok = True
            if _BETWEEN_AND.search(before):
                ok = True
            if before.endswith(("(", ",")):
                ok = bool(groups) and groups[-1] == "values"
            if not ok:
                raise _Refuse("a value in an identifier or clause position")
            out += placeholder(part.expr)
            pending_check_after, after_quoted = True, False
            continue
        text = part.text
        i = 0
        while i < len(text):
            ch = text[i]
            if pending_check_after:
                pending_check_after = False
                if after_quoted and (ch.isalnum() or ch == "_"):
                    out += " "  # the closing quote separated the tokens; a space does now
                elif ch.isalnum() or ch in "._('\"`[":
                    raise _Refuse("a value glued to an identifier")
                after_quoted = False
            if quote == "'":
                if ch == "'" and text[i + 1 : i + 2] == "'":
                    lit_pieces.append("'")
                    lit_raw += "''"
                    i += 2
                    continue
                if ch == "'":
                    quote = None
                    if any(not isinstance(p, str) for p in lit_pieces):
                        out += _literal_param(lit_pieces, placeholder, module)
                        pending_check_after = after_quoted = True
                    else:
                        out += "'" + esc(lit_raw) + "'"
                    lit_pieces, lit_raw = [], ""
                else:
                    lit_pieces.append(ch)
                    lit_raw += ch
                i += 1
                continue
            if quote is not None:
                if ch == quote:
                    quote = None
                out += esc(ch)
                i += 1
                continue
            if ch in "'\"`":
                quote = ch
                if ch != "'":
                    out += ch
            elif ch == "(":
                word = _WORD_BEFORE.search(out)
                groups.append("values" if word and word.group(1).upper() == "VALUES" else "other")
                out += ch
            elif ch == ")":
                if groups:
                    groups.pop()
                out += ch
            else:
                out += esc(ch)
            i += 1
    if quote is not None:
        raise _Refuse("an unterminated SQL string")
    if not params and not allow_empty:
        raise _Refuse("nothing interpolated")
    return _Query(sql=out, params=params)


def _literal_param(
    pieces: list[str | cst.BaseExpression],
    placeholder: object,
    module: cst.Module,
) -> str:
    merged: list[str | cst.BaseExpression] = []
    for p in pieces:
        if isinstance(p, str) and merged and isinstance(merged[-1], str):
            merged[-1] += p
        else:
            merged.append(p)
    if len(merged) == 1 and not isinstance(merged[0], str):
        expr: cst.BaseExpression = merged[0]
    else:
        built = fstring_node(merged, module)
        if built is None:
            raise _Refuse("cannot write the parameter as an f-string")
        expr = built
    assert callable(placeholder)
    result = placeholder(expr)
    assert isinstance(result, str)
    return result


def _query_literal(sql: str, quote: str) -> cst.SimpleString:
    if "\n" in sql:
        q = quote * 3
        body = sql.replace("\\", "\\\\").replace(q, "\\" + q)
        if body.endswith(quote):
            body = body[:-1] + "\\" + quote
        return cst.SimpleString(q + body + q)
    return cst.SimpleString(quote_text(sql, quote))


def _params_node(params: list[tuple[str, cst.BaseExpression]], style: str) -> cst.BaseExpression:
    sep = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    if style == Paramstyle.NAMED:
        last = len(params) - 1
        return cst.Dict(
            elements=[
                cst.DictElement(
                    key=cst.SimpleString(quote_text(name)),
                    value=expr,
                    comma=sep if i < last else cst.MaybeSentinel.DEFAULT,
                )
                for i, (name, expr) in enumerate(params)
            ]
        )
    if len(params) == 1:
        return cst.Tuple(elements=[cst.Element(params[0][1], comma=cst.Comma())])
    last = len(params) - 1
    return cst.Tuple(
        elements=[
            cst.Element(expr, comma=sep if i < last else cst.MaybeSentinel.DEFAULT)
            for i, (_, expr) in enumerate(params)
        ]
    )


_PLACEHOLDER_Q = re.compile(r"(?<![\w'])\?")
_PLACEHOLDER_F = re.compile(r"%s")


def _style_from_text(module: cst.Module) -> str | None:
    """The placeholder style of constant queries already in the module."""

    found: set[str] = set()

    class V(cst.CSTVisitor):
        def visit_Call(self, node: cst.Call) -> None:
            if isinstance(node.func, cst.Attribute) and node.func.attr.value in _EXECUTE:
                args = positional(node)
                if len(args) >= 2 and isinstance(args[0].value, cst.SimpleString):
                    text = args[0].value.evaluated_value
                    if isinstance(text, str):
                        if _PLACEHOLDER_Q.search(text):
                            found.add(Paramstyle.QMARK)
                        if _PLACEHOLDER_F.search(text):
                            found.add(Paramstyle.FORMAT)

    module.visit(V())
    return found.pop() if len(found) == 1 else None


def _style_from_imports(mods: set[str]) -> str | None:
    q, f = bool(mods & _QMARK_DRIVERS), bool(mods & _FORMAT_DRIVERS)
    if q and not f:
        return Paramstyle.QMARK
    if f and not q:
        return Paramstyle.FORMAT
    return None


def _local_modules(ctx: FixContext) -> list[str]:
    """Candidate repository paths of the project modules this file imports from."""
    path = ctx.finding.location.path
    pkg_dir = posixpath.dirname(path)
    dirs = pkg_dir.split("/") if pkg_dir else []
    out: list[str] = []
    for stmt in ctx.module.body:
        if not isinstance(stmt, cst.SimpleStatementLine):
            continue
        for small in stmt.body:
            if not isinstance(small, cst.ImportFrom):
                continue
            mod = dotted(small.module) if small.module is not None else ""
            level = len(small.relative)
            rel = mod.replace(".", "/")
            if level:
                up = dirs[: len(dirs) - (level - 1)] if level - 1 <= len(dirs) else []
                base = "/".join([*up, rel]) if rel else "/".join(up)
                out += [base + ".py", base + "/__init__.py"]
            elif rel:
                for i in range(len(dirs) + 1):
                    base = "/".join([*dirs[:i], rel])
                    out += [base + ".py", base + "/__init__.py"]
    return out


def detect_style(ctx: FixContext) -> str | None:
    style = _style_from_imports(ctx.imported_modules()) or _style_from_text(ctx.module)
    if style:
        return style
    for candidate in _local_modules(ctx):
        try:
            text = ctx.read(candidate)
        except (OSError, LookupError, ValueError):
            continue  # not a file of this repository (e.g. a third-party package)
        try:
            other = cst.parse_module(text)
        except cst.ParserSyntaxError:
            continue
        mods: set[str] = set()
        for stmt in other.body:
            if isinstance(stmt, cst.SimpleStatementLine):
                for small in stmt.body:
                    if isinstance(small, cst.Import):
                        mods |= {dotted(a.name).split(".")[0] for a in small.names}
                    elif isinstance(small, cst.ImportFrom) and small.module and not small.relative:
                        mods.add(dotted(small.module).split(".")[0])
        style = _style_from_imports(mods) or _style_from_text(other)
        if style:
            return style
    return None


class SqlParameterizeFixer(CodemodFixer):
    info = FixerInfo(
        id=FixerId("mamori:fix/sql-parameterize"),
        title="Pass SQL values as query parameters",
        cwes=(89,),
        risk=RiskClass.LOW,
        risk_reason=(
            "the database receives the same values as bound parameters instead of SQL text;"
            " results for legitimate input are unchanged"
        ),
        description=(
            "Rewrites `cursor.execute(query)` where the query is built by f-string, `%`,"
            " concatenation or `.format` (inline, in a variable assigned once in the same"
            " function, or in steps with `+=`, also under `if`) into a constant query with the"
            " driver's placeholders (`?` for sqlite3, `%s` for psycopg/psycopg2/MySQLdb/pymysql"
            " and Django, `:name` for SQLAlchemy `text()`, decided from the module's imports and"
            " its other queries; a raw string given to SQLAlchemy is wrapped in `text()`) and"
            " passes the values as parameters (a list filled step by step when the query is"
            " built conditionally). Quotes around an interpolated value are removed (`'{x}'` ->"
            " `?`) and `LIKE '%{q}%'` becomes `LIKE ?` with the parameter `f\"%{q}%\"`. Declines,"
            " saying why, when a value sits in an identifier position (table or column name,"
            " `ORDER BY`, `IN (...)` lists) or the call already passes parameters."
        ),
    )

    def edit(self, ctx: FixContext) -> Edit | Declined | None:
        declined: Declined | None = None
        is_execute = _execute_calls(ctx)
        for node in ctx.nodes_at_line(cst.Call, is_execute):
            result = self._fix_call(ctx, node)
            if isinstance(result, Edit):
                return result
            declined = declined or result
        # Reported at the line that builds the query: find the execute call that uses it.
        for stmt in ctx.nodes_at_line(cst.BaseSmallStatement):  # type: ignore[type-abstract]
            if isinstance(stmt, cst.Assign) and len(stmt.targets) == 1:
                target: cst.BaseAssignTargetExpression = stmt.targets[0].target
            elif isinstance(stmt, cst.AugAssign):
                target = stmt.target
            else:
                continue
            if not isinstance(target, cst.Name):
                continue
            var = target.value
            fn = ctx.enclosing(stmt, cst.FunctionDef)
            scope: cst.CSTNode = fn if fn is not None else ctx.module
            for call in _calls_in(scope):
                args = positional(call)
                if not (is_execute(call) and args):
                    continue
                arg = args[0].value
                if isinstance(arg, cst.Call) and _is_text(ctx, arg.func) and arg.args:
                    arg = arg.args[0].value
                if isinstance(arg, cst.Name) and arg.value == var:
                    result = self._fix_call(ctx, call)
                    if isinstance(result, Edit):
                        return result
                    declined = declined or result
        return declined

    def _fix_call(self, ctx: FixContext, node: cst.Call) -> Edit | Declined | None:
        if any(a.star for a in node.args):
            return None
        if ctx.qualified_names(node.func) & _PANDAS:
            # pandas.read_sql(sql, con, ...): the parameters go in `params=`
            pos = positional(node)
            if len(pos) < 2 or pos[0] is not node.args[0] or keyword(node, "params") is not None:
                return None
        elif len(node.args) != 1:
            return None  # already passes parameters: mixing is for a person
        elif node.args[0].keyword is not None or not isinstance(node.func, cst.Attribute):
            return None
        elif node.func.attr.value == "executemany":
            return Declined(reason="`executemany` with a built query: the rows need a redesign")
        query = node.args[0].value
        text_call: cst.Call | None = None
        if isinstance(query, cst.Call) and _is_text(ctx, query.func):
            if len(query.args) != 1 or query.args[0].keyword is not None:
                return None
            text_call, query = query, query.args[0].value
        assign: cst.Assign | None = None
        if isinstance(query, cst.Name):
            assign = single_assignment(ctx, node, query.value)
            if assign is None:
                return self._fix_steps(ctx, node, query.value, text_call)
            query = assign.value
            if isinstance(query, cst.Call) and _is_text(ctx, query.func):
                if len(query.args) != 1 or query.args[0].keyword is not None:
                    return None
                text_call, query = query, query.args[0].value
        template = parse_template(query)
        if template is None or not template.values:
            return None
        style, wrap = self._style(ctx, text_call)
        if style is None:
            return Declined(
                reason="the database driver (and so its placeholder style) is not known from"
                " this module's imports"
            )
        try:
            built = build_query(template, style, ctx.module)
        except _Refuse as e:
            return Declined(reason=f"the query cannot be parameterised safely: {e}")
        if style == Paramstyle.NAMED and _STRAY_COLON.search(_without_params(built)):
            return Declined(
                reason="the SQL text has a `:word` that SQLAlchemy's text() would read as a"
                " parameter"
            )
        literal: cst.BaseExpression = _query_literal(built.sql, template.quote)
        if wrap:
            literal = cst.Call(func=cst.Name(wrap), args=[cst.Arg(literal)])
        params = _params_node(built.params, style)
        replacements: dict[cst.CSTNode, Replacement] = {}
        if assign is None:
            call = node.deep_replace(query, literal)
            assert isinstance(call, cst.Call)
            replacements[node] = _with_params(ctx, call, params)
        else:
            value = literal if assign.value is query else assign.value.deep_replace(query, literal)
            assert isinstance(value, cst.BaseExpression)
            replacements[assign] = assign.with_changes(value=value)
            replacements[node] = _with_params(ctx, node, params)
        return Edit(
            replacements=replacements,
            imports=_text_import(wrap),
            description=(
                f"Pass {len(built.params)} interpolated value(s) to the database as query"
                f" parameters ({style} placeholders) instead of building the SQL text."
            ),
        )

    def _style(self, ctx: FixContext, text_call: cst.Call | None) -> tuple[str | None, str]:
        """The placeholder style, and the name of SQLAlchemy's ``text`` when the raw query
        string must be wrapped in it ("" otherwise)."""
        if text_call is not None:
            return Paramstyle.NAMED, ""
        style = detect_style(ctx)
        if style is not None:
            return style, ""
        if ctx.imported_modules() & _SQLALCHEMY:
            return Paramstyle.NAMED, _text_name(ctx)
        return None, ""

    def _fix_steps(
        self, ctx: FixContext, node: cst.Call, var: str, text_call: cst.Call | None
    ) -> Edit | Declined:
        """A query built in steps: ``q = "..."`` then ``q += "... = '" + v + "'"`` (possibly
        under ``if``), then ``execute(q)``."""
        steps = _steps(ctx, node, var)
        if isinstance(steps, str):
            return Declined(reason=steps)
        style, wrap = self._style(ctx, text_call)
        if style is None:
            return Declined(
                reason="the database driver (and so its placeholder style) is not known from"
                " this module's imports"
            )
        if wrap:
            return Declined(reason="a query built in steps for SQLAlchemy without `text()`")
        taken: set[str] = set()
        built: list[tuple[cst.Assign | cst.AugAssign, Template, _Query]] = []
        for step in steps:
            template = parse_template(step.value)
            if template is None:
                return Declined(reason=f"a step of `{var}` is not built from literal text")
            try:
                q = build_query(template, style, ctx.module, taken=taken, allow_empty=True)
            except _Refuse as e:
                return Declined(reason=f"the query cannot be parameterised safely: {e}")
            built.append((step, template, q))
        n_params = sum(len(q.params) for _, _, q in built)
        if not n_params:
            return Declined(reason=f"`{var}` is not built from interpolated values")
        conditional = any(_conditional(ctx, step, node) for step, _, _ in built)
        replacements: dict[cst.CSTNode, Replacement] = {}
        for step, template, q in built:
            if q.params or q.sql != template.literal_text:
                replacements[step] = step.with_changes(value=_query_literal(q.sql, template.quote))
        if not conditional:
            params = [p for _, _, q in built for p in q.params]
            replacements[node] = _with_params(ctx, node, _params_node(params, style))
        else:
            fn = ctx.enclosing(node, cst.FunctionDef)
            used = names_in(fn if fn is not None else ctx.module)
            pvar, n = "params", 2
            while pvar in used:
                pvar, n = f"params_{n}", n + 1
            for i, (step, _, q) in enumerate(built):
                stmt = ctx.parent(step)
                assert isinstance(stmt, cst.SimpleStatementLine)
                new_line = stmt.with_changes(body=[replacements.pop(step, step)])
                extra: list[cst.BaseStatement] = []
                if i == 0:
                    empty = "{}" if style == Paramstyle.NAMED else "[]"
                    extra.append(cst.parse_statement(f"{pvar} = {empty}\n"))
                extra += [_add_param(pvar, name, expr, style) for name, expr in q.params]
                replacements[stmt] = cst.FlattenSentinel([new_line, *extra])
            replacements[node] = _with_params(ctx, node, cst.Name(pvar))
        return Edit(
            replacements=replacements,
            description=(
                f"Pass {n_params} interpolated value(s) of the query built in steps to the"
                f" database as query parameters ({style} placeholders) instead of building the"
                " SQL text."
            ),
        )


_STRAY_COLON = re.compile(r"(?<![:\w\\]):\w")


def _without_params(query: _Query) -> str:
    sql = query.sql
    for name, _ in query.params:
        sql = re.sub(rf":{re.escape(name)}\b", "", sql)
    return sql


def _add_param(
    pvar: str, name: str, expr: cst.BaseExpression, style: str
) -> cst.SimpleStatementLine:
    if style == Paramstyle.NAMED:
        target = cst.Subscript(
            value=cst.Name(pvar),
            slice=[cst.SubscriptElement(cst.Index(cst.SimpleString(quote_text(name))))],
        )
        small: cst.BaseSmallStatement = cst.Assign(targets=[cst.AssignTarget(target)], value=expr)
    else:
        small = cst.Expr(
            cst.Call(func=cst.parse_expression(f"{pvar}.append"), args=[cst.Arg(expr)])
        )
    return cst.SimpleStatementLine(body=[small])


def _steps(ctx: FixContext, call: cst.Call, var: str) -> list[cst.Assign | cst.AugAssign] | str:
    """The assignment and ``+=`` steps that build ``var`` before ``call``, in order; or why the
    variable is not built that way (other writes, reads, loops)."""
    fn = ctx.enclosing(call, cst.FunctionDef)
    if fn is None:
        return f"`{var}` is not built inside a function"
    steps: list[cst.Assign | cst.AugAssign] = []
    reads = 0
    problem: list[str] = []

    class V(cst.CSTVisitor):
        def visit_Assign(self, node: cst.Assign) -> None:
            if any(isinstance(t.target, cst.Name) and t.target.value == var for t in node.targets):
                if len(node.targets) != 1:
                    problem.append("assigned together with other names")
                steps.append(node)

        def visit_AugAssign(self, node: cst.AugAssign) -> None:
            if isinstance(node.target, cst.Name) and node.target.value == var:
                if not isinstance(node.operator, cst.AddAssign):
                    problem.append("changed by an operator other than +=")
                steps.append(node)

        def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
            if isinstance(node.target, cst.Name) and node.target.value == var:
                problem.append("assigned with an annotation")

        def visit_Name(self, node: cst.Name) -> None:
            nonlocal reads
            if node.value == var:
                reads += 1

    fn.body.visit(V())
    if problem:
        return f"`{var}` is {problem[0]}"
    if not steps or not isinstance(steps[0], cst.Assign):
        return f"`{var}` is not assigned in this function"
    if sum(isinstance(s, cst.Assign) for s in steps) != 1:
        return f"`{var}` is assigned more than once"
    call_line = ctx.position(call).start.line
    for step in steps:
        if ctx.position(step).start.line > call_line:
            return f"`{var}` changes after the query runs"
        stmt = ctx.parent(step)
        if not isinstance(stmt, cst.SimpleStatementLine) or len(stmt.body) != 1:
            return f"a step of `{var}` shares its line with other statements"
        for anc in ctx.ancestors(step):
            if anc is fn:
                break
            if isinstance(anc, cst.For | cst.While | cst.Try | cst.With):
                return f"`{var}` is built in a loop or a try/with block"
            if isinstance(anc, cst.If) and step is steps[0]:
                return f"`{var}` is first assigned under a condition"
    # every Name use: one per step target, one at the call; anything else reads the query text
    if reads != len(steps) + 1:
        return f"`{var}` is also used elsewhere than the query call"
    return steps


def _conditional(ctx: FixContext, step: cst.CSTNode, call: cst.Call) -> bool:
    fn = ctx.enclosing(call, cst.FunctionDef)
    for anc in ctx.ancestors(step):
        if anc is fn:
            return False
        if isinstance(anc, cst.If):
            return True
    return False


def _is_text(ctx: FixContext, func: cst.BaseExpression) -> bool:
    """SQLAlchemy's ``text``, imported (``text``, ``sa.text``) or through Flask-SQLAlchemy's
    ``db.text``."""
    if ctx.qualified_names(func) & _TEXT_FUNCS:
        return True
    return (
        isinstance(func, cst.Attribute)
        and func.attr.value == "text"
        and bool(ctx.imported_modules() & _SQLALCHEMY)
    )


def _text_name(ctx: FixContext) -> str:
    """How to call SQLAlchemy's ``text`` in this module."""
    for stmt in ctx.module.body:
        if not isinstance(stmt, cst.SimpleStatementLine):
            continue
        for small in stmt.body:
            if (
                isinstance(small, cst.ImportFrom)
                and small.module is not None
                and dotted(small.module) in ("sqlalchemy", "sqlalchemy.sql")
                and not isinstance(small.names, cst.ImportStar)
                and any(
                    isinstance(a.name, cst.Name) and a.name.value == "text" and a.asname is None
                    for a in small.names
                )
            ):
                return "text"
    if "text" in names_in(ctx.module):
        return "sqlalchemy.text"  # the name is taken by something else
    return "text"


def _text_import(wrap: str) -> tuple[Import, ...]:
    if wrap == "text":
        return (Import(module="sqlalchemy", obj="text"),)
    if wrap:
        return (Import(module="sqlalchemy"),)
    return ()


def _with_params(ctx: FixContext, call: cst.Call, params: cst.BaseExpression) -> cst.Call:
    """The call with the query parameters added (``params=`` for pandas)."""
    if ctx.qualified_names(call.func) & _PANDAS:
        eq = cst.AssignEqual(
            whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")
        )
        return append_args(call, [cst.Arg(params, keyword=cst.Name("params"), equal=eq)])
    return append_args(call, [cst.Arg(params)])


_PANDAS = {"pandas.read_sql", "pandas.read_sql_query"}


def _execute_calls(ctx: FixContext) -> Callable[[cst.Call], bool]:
    """Calls that run a query: ``execute``, Django's ``Model.objects.raw`` in Django code and
    ``pandas.read_sql``."""
    django = "django" in ctx.imported_modules()

    def check(node: cst.Call) -> bool:
        if _is_execute(node) or ctx.qualified_names(node.func) & _PANDAS:
            return True
        return django and isinstance(node.func, cst.Attribute) and node.func.attr.value == "raw"

    return check


def _is_execute(node: cst.Call) -> bool:
    return isinstance(node.func, cst.Attribute) and node.func.attr.value in _EXECUTE


def _calls_in(scope: cst.CSTNode) -> list[cst.Call]:
    calls: list[cst.Call] = []

    class V(cst.CSTVisitor):
        def visit_Call(self, node: cst.Call) -> None:
            calls.append(node)

    scope.visit(V())
    return calls
