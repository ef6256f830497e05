"""CWE-89: a query built from strings -> a constant query with driver placeholders."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass

import libcst as cst

from mamori.domain import FixerId, RiskClass
from mamori.fix.codemods._base import (
    CodemodFixer,
    Edit,
    FixContext,
    Replacement,
    append_args,
    dotted,
    fstring_node,
    positional,
    quote_text,
    single_assignment,
)
from mamori.fix.codemods._template import Template, Val, parse_template
from mamori.fix.interface import FixerInfo

_QMARK_DRIVERS = {"sqlite3", "aiosqlite", "pysqlite2", "sqlcipher3"}
_FORMAT_DRIVERS = {"psycopg", "psycopg2", "MySQLdb", "pymysql", "mysql", "pgdb", "aiomysql"}
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


def build_query(template: Template, style: str, module: cst.Module) -> _Query:
    """Rewrite the template's SQL with placeholders; raises _Refuse when unsafe."""
    out = ""
    params: list[tuple[str, cst.BaseExpression]] = []
    taken: set[str] = set()
    quote: str | None = None  # the SQL quote we are inside
    lit_pieces: list[str | cst.BaseExpression] = []  # contents of the current '...' literal
    lit_raw = ""  # its source text, to emit unchanged when it has no values
    groups: list[str] = []  # open parentheses: "values" or "other"
    pending_check_after = False

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
            pending_check_after = True
            continue
        text = part.text
        i = 0
        while i < len(text):
            ch = text[i]
            if pending_check_after:
                pending_check_after = False
                if ch.isalnum() or ch in "._('\"`[":
                    raise _Refuse("a value glued to an identifier")
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
                        pending_check_after = True
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
    if not params:
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
            " concatenation or `.format` (inline, or in a variable assigned once in the same"
            " function) into a constant query with the driver's placeholders (`?` for sqlite3,"
            " `%s` for psycopg/psycopg2/MySQLdb/pymysql, `:name` for SQLAlchemy `text()`,"
            " decided from the module's imports and its other queries) and passes the values"
            " as parameters. Quotes around an interpolated value are removed (`'{x}'` -> `?`)"
            " and `LIKE '%{q}%'` becomes `LIKE ?` with the parameter `f\"%{q}%\"`. Declines"
            " when a value sits in an identifier position (table or column name, `ORDER BY`,"
            " `IN (...)` lists) or the call already passes parameters."
        ),
    )

    def edit(self, ctx: FixContext) -> Edit | None:
        for node in ctx.nodes_at_line(cst.Call, _is_execute):
            result = self._fix_call(ctx, node)
            if result is not None:
                return result
        # Reported at the line that builds the query: find the execute call that uses it.
        for assign in ctx.nodes_at_line(cst.Assign):
            if len(assign.targets) != 1 or not isinstance(assign.targets[0].target, cst.Name):
                continue
            var = assign.targets[0].target.value
            fn = ctx.enclosing(assign, cst.FunctionDef)
            scope: cst.CSTNode = fn if fn is not None else ctx.module
            for call in _calls_in(scope):
                args = positional(call)
                if (
                    _is_execute(call)
                    and args
                    and isinstance(args[0].value, cst.Name)
                    and args[0].value.value == var
                ):
                    result = self._fix_call(ctx, call)
                    if result is not None:
                        return result
        return None

    def _fix_call(self, ctx: FixContext, node: cst.Call) -> Edit | None:
        if any(a.star for a in node.args) or len(node.args) != 1:
            return None  # already passes parameters (or unpacks them): mixing is for a person
        if node.args[0].keyword is not None or not isinstance(node.func, cst.Attribute):
            return None
        if node.func.attr.value == "executemany":
            return None
        query = node.args[0].value
        text_call: cst.Call | None = None
        if isinstance(query, cst.Call) and ctx.qualified_names(query.func) & _TEXT_FUNCS:
            if len(query.args) != 1 or query.args[0].keyword is not None:
                return None
            text_call, query = query, query.args[0].value
        assign: cst.Assign | None = None
        if isinstance(query, cst.Name):
            assign = single_assignment(ctx, node, query.value)
            if assign is None:
                return None
            query = assign.value
            if isinstance(query, cst.Call) and ctx.qualified_names(query.func) & _TEXT_FUNCS:
                if len(query.args) != 1 or query.args[0].keyword is not None:
                    return None
                text_call, query = query, query.args[0].value
        template = parse_template(query)
        if template is None or not template.values:
            return None
        style = Paramstyle.NAMED if text_call is not None else detect_style(ctx)
        if style is None:
            return None  # unknown driver: a wrong placeholder would break the query
        try:
            built = build_query(template, style, ctx.module)
        except _Refuse:
            return None
        literal = _query_literal(built.sql, template.quote)
        params = _params_node(built.params, style)
        replacements: dict[cst.CSTNode, Replacement] = {}
        if assign is None:
            call = node.deep_replace(query, literal)
            assert isinstance(call, cst.Call)
            replacements[node] = append_args(call, [cst.Arg(params)])
        else:
            value = literal if assign.value is query else assign.value.deep_replace(query, literal)
            assert isinstance(value, cst.BaseExpression)
            replacements[assign] = assign.with_changes(value=value)
            replacements[node] = append_args(node, [cst.Arg(params)])
        return Edit(
            replacements=replacements,
            description=(
                f"Pass {len(built.params)} interpolated value(s) to the database as query"
                f" parameters ({style} placeholders) instead of building the SQL text."
            ),
        )


def _is_execute(node: cst.Call) -> bool:
    return isinstance(node.func, cst.Attribute) and node.func.attr.value in _EXECUTE


def _calls_in(scope: cst.CSTNode) -> list[cst.Call]:
    calls: list[cst.Call] = []

    class V(cst.CSTVisitor):
        def visit_Call(self, node: cst.Call) -> None:
            calls.append(node)

    scope.visit(V())
    return calls
