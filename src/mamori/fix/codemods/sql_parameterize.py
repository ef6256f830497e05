"""CWE-89: a query built from strings -> a constant query with driver placeholders."""

from __future__ import annotations

import dataclasses
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import libcst as cst

from mamori.domain import FixerId, RiskClass
from mamori.fix.codemods._base import (
    CodemodFixer,
    Edit,
    FixContext,
    Import,
    Replacement,
    append_args,
    calls_in,
    dotted,
    fstring_node,
    keyword,
    name_uses,
    names_in,
    positional,
    quote_text,
    single_assignment,
)
from mamori.fix.codemods._template import Lit, Part, Template, Val, merge_parts, parse_template
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
    # psycopg identifiers: the SQL is then a `sql.SQL(...).format(...)` template whose `{}`
    # slots take these expressions, quoted with `sql.Identifier`
    idents: list[cst.BaseExpression] = field(default_factory=list)
    directions: set[int] = field(default_factory=set)  # idents that are ASC/DESC
    # joins of fragment lists kept as code (their values are passed by the fragments)
    trusted: list[cst.BaseExpression] = field(default_factory=list)
    # constant loop variables kept in the SQL text (an f-string then), in order
    inline: list[cst.BaseExpression] = field(default_factory=list)
    # named parameters set in a loop: the key expression of each (by parameter name)
    keys: dict[str, cst.BaseExpression] = field(default_factory=dict)


class _Refuse(Exception):
    """The query cannot be parameterised safely (identifier position, shell of quotes, ...)."""


class _Hooks:
    """What the query builder may do beyond plain values (default: nothing)."""

    def in_list(self, expr: cst.BaseExpression, *, quoted: bool) -> cst.BaseExpression | None:
        """For ``",".join(xs)`` (``"','".join(xs)`` when ``quoted``) inside ``IN (...)``: the
        parameter that passes ``xs`` as one value, else None."""
        return None

    # the SQL that reads that one value as a list of rows; "" when the driver writes a tuple
    # parameter as `(a, b, ...)` itself (`IN %s`)
    in_list_sql = ""

    def trusted(self, expr: cst.BaseExpression) -> bool:
        """``" AND ".join(conditions)`` of a list of constant SQL fragments."""
        return False

    identifiers = False  # an identifier may become a psycopg `sql.Identifier`
    sqlite = False  # the database is SQLite

    def order_default_ok(self, expr: cst.BaseExpression, columns: list[str]) -> bool:
        """The value's literal default (``args.get("sort", "name")``), if any, is one of
        ``columns``."""
        return True

    # the piece being built runs in a loop; its variable when the loop goes over a literal
    # collection of distinct identifier strings (`for col in ("a", "b"):`)
    in_loop = False
    loop_var: str | None = None


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


_ORDER_BY = re.compile(r"\bORDER\s+BY\s*$", re.IGNORECASE)
_SELECT_LIST = re.compile(r"\bSELECT\s+(?:DISTINCT\s+)?(.*?)\s+FROM\s", re.IGNORECASE | re.DOTALL)
_COLUMN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _select_columns(sql: str) -> list[str]:
    """The plain column names the last ``SELECT ... FROM`` of ``sql`` selects."""
    found = list(_SELECT_LIST.finditer(sql))
    if len(found) != 1 or len(re.findall(r"\bSELECT\b", sql, re.IGNORECASE)) != 1:
        return []  # subqueries or unions: which columns the ORDER BY sees is not plain
    columns: list[str] = []
    for item in found[-1].group(1).split(","):
        name = item.strip()
        if _COLUMN.fullmatch(name) and name.upper() not in _SQL_WORDS and name not in columns:
            columns.append(name)
    return columns


_SQL_WORDS = {"DISTINCT", "ALL", "NULL", "TRUE", "FALSE", "CASE", "SELECT", "FROM"}
_IDENT_WORDS = {"FROM", "JOIN", "INTO", "UPDATE", "TABLE", "BY"}
_IDENT_SLOT = "\x00"
_TRUSTED_SLOT = "\x01"
_INLINE_SLOT = "\x02"


def build_query(
    template: Template,
    style: str,
    module: cst.Module,
    *,
    taken: set[str] | None = None,
    allow_empty: bool = False,
    hooks: _Hooks | None = None,
    escape_percent: bool = True,
) -> _Query:
    """Rewrite the template's SQL with placeholders; raises _Refuse when unsafe.

    ``taken`` holds the parameter names already used by other pieces of the same query;
    ``allow_empty`` accepts a piece with no value (a constant step of a query built in steps).
    """
    hooks = hooks or _Hooks()
    out = ""
    params: list[tuple[str, cst.BaseExpression]] = []
    idents: list[cst.BaseExpression] = []
    directions: set[int] = set()
    order_end = -1  # where the text ended after an ORDER BY identifier
    # SQLite `ORDER BY CASE ? WHEN ...`: where it starts and ends, the column value, the WHENs
    case_order: tuple[int, int, cst.BaseExpression, str] | None = None
    trusted: list[cst.BaseExpression] = []
    taken = set() if taken is None else taken
    quote: str | None = None  # the SQL quote we are inside
    lit_pieces: list[str | cst.BaseExpression] = []  # contents of the current '...' literal
    lit_raw = ""  # its source text, to emit unchanged when it has no values
    groups: list[str] = []  # open parentheses: "values", "in" or "other"
    pending_check_after = False
    after_quoted = False  # the last placeholder replaced a quoted literal ('x'AND -> ? AND)
    in_join: cst.BaseExpression | None = None  # IN ('" + "','".join(xs) + "'): the parameter
    close_in = False  # an IN list was replaced: only `)` may follow

    inline: list[cst.BaseExpression] = []
    keys: dict[str, cst.BaseExpression] = {}

    def placeholder(expr: cst.BaseExpression) -> str:
        if style == Paramstyle.NAMED and hooks.in_loop:
            # one name per round of the loop: the loop's constant, suffixed after the first
            if hooks.loop_var is None:
                raise _Refuse("a named parameter set in a loop")
            n = len(keys)
            name = f"\x02{len(params)}"
            var = cst.Name(hooks.loop_var)
            keys[name] = var if not n else fstring_node([var, f"_{n + 1}"], module) or var
            params.append((name, expr))
            inline.append(var)
            return ":" + _INLINE_SLOT + (f"_{n + 1}" if n else "")
        name = _param_name(expr, taken, len(params))
        params.append((name, expr))
        if style == Paramstyle.QMARK:
            return "?"
        if style == Paramstyle.FORMAT:
            return "%s"
        return f":{name}"

    def esc(text: str) -> str:
        return text.replace("%", "%%") if style == Paramstyle.FORMAT and escape_percent else text

    def emit_in(value: cst.BaseExpression) -> None:
        nonlocal out
        if hooks.in_list_sql:
            out += hooks.in_list_sql.replace("?", placeholder(value))
        else:
            out = out.rstrip()[:-1].rstrip() + " " + placeholder(value)

    def in_group() -> bool:
        return bool(groups) and groups[-1] == "in" and out.rstrip().endswith("(")

    parts = list(template.parts)
    for part in parts:
        if isinstance(part, Val):
            if not part.plain:
                raise _Refuse("a value with a format specification")
            if close_in or in_join is not None:
                raise _Refuse("a value next to an IN list")
            if quote == "'":
                if not lit_pieces and in_group():
                    in_join = hooks.in_list(part.expr, quoted=True)
                    if in_join is not None:
                        continue
                lit_pieces.append(part.expr)
                continue
            if quote is not None:
                raise _Refuse("a value inside a quoted identifier")
            before = out.rstrip()
            if before and (before[-1].isalnum() or before[-1] in "._") and before == out:
                raise _Refuse("a value glued to an identifier")
            loop_var = hooks.loop_var if hooks.in_loop else None
            if isinstance(part.expr, cst.Name) and part.expr.value == loop_var:
                out += _INLINE_SLOT  # one of the loop's constant identifiers
                inline.append(part.expr)
                pending_check_after, after_quoted = True, False
                continue
            if hooks.trusted(part.expr):
                out += _TRUSTED_SLOT
                trusted.append(part.expr)
                pending_check_after, after_quoted = True, False
                continue
            if in_group():
                value = hooks.in_list(part.expr, quoted=False)
                if value is not None:
                    emit_in(value)
                    close_in = True
                    continue
            ok = before.endswith(_VALUE_OPS) and not before.endswith("--")
            word = _WORD_BEFORE.search(before)
            if word and word.group(1).upper() in _VALUE_WORDS:
                ok = True
            if _BETWEEN_AND.search(before):
                ok = True
            if before.endswith(("(", ",")):
                ok = bool(groups) and groups[-1] == "values"
            order_by = bool(_ORDER_BY.search(before))
            if not ok and hooks.identifiers and order_end == len(before) and before != out:
                # `ORDER BY {col} {direction}`: the direction, ASC unless it says DESC
                directions.add(len(idents))
                out += _IDENT_SLOT
                idents.append(part.expr)
                pending_check_after, after_quoted = True, False
                continue
            if not ok and hooks.identifiers and word and word.group(1).upper() in _IDENT_WORDS:
                out += _IDENT_SLOT
                idents.append(part.expr)
                order_end = len(out) if order_by else -1
                pending_check_after, after_quoted = True, False
                continue
            if not ok and order_by and hooks.sqlite:
                columns = _select_columns(out)
                if columns and hooks.order_default_ok(part.expr, columns):
                    # SQLite binds no identifier: the column is chosen by value, among the
                    # columns the query selects (any other value sorts nothing)
                    whens = "".join(f" WHEN '{c}' THEN {c}" for c in columns)
                    start = len(out)
                    out += f"CASE {placeholder(part.expr)}{whens} END"
                    case_order = (start, len(out), part.expr, whens)
                    pending_check_after, after_quoted = True, False
                    continue
            if not ok and case_order and case_order[1] == len(before) and before != out:
                # `ORDER BY {col} {direction}` on SQLite: an ascending key that is NULL when
                # the direction says DESC, then a descending key that is NULL otherwise
                start, _, column, whens = case_order
                out = out[:start]
                params.pop()
                d1, c1 = placeholder(part.expr), placeholder(column)
                d2, c2 = placeholder(part.expr), placeholder(column)
                out += (
                    f"CASE WHEN upper({d1}) = 'DESC' THEN NULL ELSE CASE {c1}{whens} END END,"
                    f" CASE WHEN upper({d2}) = 'DESC' THEN CASE {c2}{whens} END END DESC"
                )
                case_order = None
                pending_check_after, after_quoted = True, False
                continue
            if not ok and word and word.group(1).upper() in _IDENT_WORDS:
                raise _Refuse(
                    "a value in an identifier or clause position (a table or column name the"
                    " driver cannot bind: check it against the names the code expects)"
                )
            if not ok:
                raise _Refuse("a value in an identifier or clause position")
            out += placeholder(part.expr)
            pending_check_after, after_quoted = True, False
            continue
        text = part.text
        i = 0
        while i < len(text):
            ch = text[i]
            if close_in and quote is None:
                if ch.isspace():
                    out += ch if hooks.in_list_sql else ""
                    i += 1
                    continue
                if ch != ")":
                    raise _Refuse("an IN list joined with more SQL")
                close_in = False
                if not hooks.in_list_sql:  # the tuple brings its own parentheses
                    groups.pop()
                    i += 1
                    continue
            if pending_check_after:
                pending_check_after = False
                if after_quoted and (ch.isalnum() or ch == "_"):
                    out += " "  # the closing quote separated the tokens; a space does now
                elif ch.isalnum() or ch in "._('\"`[":
                    raise _Refuse("a value glued to an identifier")
                after_quoted = False
            if quote == "'":
                if in_join is not None:
                    if ch != "'" or text[i + 1 : i + 2] == "'":
                        raise _Refuse("an IN list joined with more text")
                    quote = None
                    emit_in(in_join)
                    in_join, close_in = None, True
                    i += 1
                    continue
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
                kind = word.group(1).upper() if word else ""
                groups.append("values" if kind == "VALUES" else "in" if kind == "IN" else "other")
                out += ch
            elif ch == ")":
                if groups:
                    groups.pop()
                out += ch
            else:
                out += esc(ch)
            i += 1
    if quote is not None or in_join is not None:
        raise _Refuse("an unterminated SQL string")
    if close_in:
        raise _Refuse("an unterminated IN list")
    if not params and not idents and not trusted and not allow_empty:
        raise _Refuse("nothing interpolated")
    if idents and escape_percent and not params and style == Paramstyle.FORMAT:
        # no parameters: the driver sends the text as it is, `%` included
        return build_query(
            template,
            style,
            module,
            taken=taken,
            allow_empty=allow_empty,
            hooks=hooks,
            escape_percent=False,
        )
    return _Query(
        sql=out,
        params=params,
        idents=idents,
        directions=directions,
        trusted=trusted,
        inline=inline,
        keys=keys,
    )


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
        style = _style_from_imports(_module_imports(other)) or _style_from_text(other)
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
            " built conditionally or in a loop). Quotes around an interpolated value are removed"
            " (`'{x}'` -> `?`) and `LIKE '%{q}%'` becomes `LIKE ?` with the parameter"
            ' `f"%{q}%"`. `IN (" + ",".join(ids) + ")` becomes one parameter (SQLite:'
            " `IN (SELECT value FROM json_each(?))` with `json.dumps(...)`; psycopg2, PyMySQL,"
            " MySQLdb: `IN %s` with a tuple). Conditions collected in a list and joined with"
            ' `" AND ".join(...)` become constant SQL with their values in a parameter list'
            " filled alongside (a fixed list is inlined). With psycopg, table and column names"
            " become `sql.Identifier` in `sql.SQL(...).format(...)` and an ORDER BY direction is"
            " ASC unless it says DESC; with SQLite, an ORDER BY column is chosen by value among"
            " the columns the query selects (`ORDER BY CASE ? WHEN 'name' THEN name ... END`)."
            " A loop over literal column names keeps the (constant) name in the SQL. Declines,"
            " saying why, when a value sits in another identifier or clause position, a"
            " `executescript` runs a script, or the call already passes parameters."
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
            for call in calls_in(scope):
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
        elif isinstance(node.func, cst.Attribute) and node.func.attr.value == "executescript":
            return Declined(
                reason="`executescript` runs a whole SQL script and takes no parameters: a"
                " script that carries input cannot be made safe by rewriting it (run fixed"
                " scripts, or bind the values with `execute`)"
            )
        elif len(node.args) != (2 if _is_many(node) else 1):
            return None  # already passes parameters: mixing is for a person
        elif any(a.keyword is not None for a in node.args) or not isinstance(
            node.func, cst.Attribute
        ):
            return None
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
        hooks = _hooks(ctx, node, style, plain=text_call is None and not wrap)
        if style != Paramstyle.NAMED:
            # `for table in ("a", "b"): execute(f"... {table} ...")`: the name stays in the text
            hooks.in_loop, hooks.loop_var, _ = _loop_of(ctx, node)
        template = hooks.expand(template)
        try:
            built = build_query(template, style, ctx.module, hooks=hooks)
        except _Refuse as e:
            return Declined(reason=f"the query cannot be parameterised safely: {e}")
        if style == Paramstyle.NAMED and _STRAY_COLON.search(_without_params(built)):
            return Declined(
                reason="the SQL text has a `:word` that SQLAlchemy's text() would read as a"
                " parameter"
            )
        replacements: dict[cst.CSTNode, Replacement] = {}
        imports = [*_text_import(wrap), *hooks.imports]
        if _is_many(node) and (built.params or built.trusted):
            return Declined(
                reason="`executemany` with values built into the query: they belong in each"
                " row of parameters, which needs a redesign"
            )
        if built.trusted:
            if built.sql.replace(_TRUSTED_SLOT, "") != template.literal_text:
                return Declined(reason="the query around the joined conditions needs escaping")
            return self._fix_fragments(ctx, node, hooks, built, style, [])
        sql_text = built.sql
        if built.idents:
            if built.inline:
                return Declined(reason="both a loop's names and identifiers from values")
            sql_text = sql_text.replace("{", "{{").replace("}", "}}").replace(_IDENT_SLOT, "{}")
        rebuilt = _step_literal(ctx, dataclasses.replace(built, sql=sql_text), template.quote)
        if rebuilt is None:
            return Declined(reason="cannot write the query as an f-string")
        literal: cst.BaseExpression = rebuilt
        if wrap:
            literal = cst.Call(func=cst.Name(wrap), args=[cst.Arg(literal)])
        if built.idents:
            assert hooks.composer is not None
            literal, imp = _composed(ctx, hooks.composer, literal, built)
            imports.append(imp)

        def with_params(call: cst.Call) -> cst.Call:
            if not built.params or _is_many(node):
                return call
            return _with_params(ctx, call, _params_node(built.params, style))

        if assign is None:
            call = node.deep_replace(query, literal)
            assert isinstance(call, cst.Call)
            replacements[node] = with_params(call)
        else:
            value = literal if assign.value is query else assign.value.deep_replace(query, literal)
            assert isinstance(value, cst.BaseExpression)
            replacements[assign] = assign.with_changes(value=value)
            replacements[node] = with_params(node)
        for stmt in hooks.removals:
            replacements[stmt] = cst.RemovalSentinel.REMOVE
        what = [f"pass {len(built.params)} value(s) as query parameters ({style} placeholders)"]
        if built.idents:
            what.append(
                f"quote {len(built.idents)} identifier(s) with `{hooks.composer}.sql.Identifier`"
            )
        return Edit(
            replacements=replacements,
            imports=tuple(imports),
            description=f"{' and '.join(what).capitalize()} instead of building the SQL text.",
        )

    def _fix_fragments(
        self,
        ctx: FixContext,
        node: cst.Call,
        hooks: _FixHooks,
        built: _Query,
        style: str,
        others: list[_Query],
    ) -> Edit | Declined:
        """The query joins a list of SQL fragments: the fragments become constant SQL and
        their values go to a list passed with the query."""
        if built.params or built.idents or any(q.params or q.idents for q in others):
            return Declined(reason="the query mixes a joined list of conditions with other values")
        if len(hooks.fragment_lists) != 1:
            return Declined(reason="the query joins more than one list of conditions")
        (frags,) = hooks.fragment_lists.values()
        if not frags.n_params:
            return Declined(reason="the joined conditions have no interpolated value")
        pvar = _fresh(ctx, node, "params")
        replacements = _fragment_edits(frags, pvar, style)
        replacements[node] = _with_params(ctx, node, cst.Name(pvar))
        for stmt in hooks.removals:
            replacements[stmt] = cst.RemovalSentinel.REMOVE
        return Edit(
            replacements=replacements,
            imports=tuple(hooks.imports),
            description=(
                f"Pass the {frags.n_params} value(s) of the joined conditions to the database as"
                f" query parameters ({style} placeholders): each condition is constant SQL and"
                f" its values go to `{pvar}`."
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
        hooks = _hooks(ctx, node, style, plain=False)
        loop_names: set[str] = set()
        for step in steps:
            template = parse_template(step.value)
            if template is None:
                return Declined(reason=f"a step of `{var}` is not built from literal text")
            hooks.in_loop, hooks.loop_var, values = _loop_of(ctx, step)
            try:
                q = build_query(
                    template, style, ctx.module, taken=taken, allow_empty=True, hooks=hooks
                )
            except _Refuse as e:
                return Declined(reason=f"the query cannot be parameterised safely: {e}")
            built.append((step, template, q))
            for n in range(len(q.keys)):
                loop_names.update(v if not n else f"{v}_{n + 1}" for v in values)
        hooks.in_loop, hooks.loop_var = False, None
        if loop_names & {n for _, _, q in built for n, _ in q.params}:
            return Declined(reason="a parameter name is also a name set in a loop")
        if any(q.trusted for _, _, q in built):
            if any(
                q.trusted and q.sql.replace(_TRUSTED_SLOT, "") != t.literal_text
                for _, t, q in built
            ):
                return Declined(reason=f"a step of `{var}` mixes joined conditions and values")
            fixed = self._fix_fragments(
                ctx, node, hooks, _Query(sql="", params=[]), style, [q for _, _, q in built]
            )
            if isinstance(fixed, Declined):
                return fixed
            more = dict(fixed.replacements)
            for step, template, q in built:
                if not q.trusted and q.sql != template.literal_text:
                    literal = _step_literal(ctx, q, template.quote)
                    if literal is None:
                        return Declined(reason=f"cannot write a step of `{var}` as an f-string")
                    more[step] = step.with_changes(value=literal)
            return dataclasses.replace(fixed, replacements=more)
        n_params = sum(len(q.params) for _, _, q in built)
        if not n_params:
            return Declined(reason=f"`{var}` is not built from interpolated values")
        conditional = any(_conditional(ctx, step, node) for step, _, _ in built)
        replacements: dict[cst.CSTNode, Replacement] = {}
        for step, template, q in built:
            if q.params or q.sql != template.literal_text:
                literal = _step_literal(ctx, q, template.quote)
                if literal is None:
                    return Declined(reason=f"cannot write a step of `{var}` as an f-string")
                replacements[step] = step.with_changes(value=literal)
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
                extra += [
                    _add_param(pvar, name, expr, style, q.keys.get(name)) for name, expr in q.params
                ]
                replacements[stmt] = cst.FlattenSentinel([new_line, *extra])
            replacements[node] = _with_params(ctx, node, cst.Name(pvar))
        for removed in hooks.removals:
            replacements[removed] = cst.RemovalSentinel.REMOVE
        return Edit(
            replacements=replacements,
            imports=tuple(hooks.imports),
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
    pvar: str,
    name: str,
    expr: cst.BaseExpression,
    style: str,
    key: cst.BaseExpression | None = None,
) -> cst.SimpleStatementLine:
    if style == Paramstyle.NAMED:
        key = key or cst.SimpleString(quote_text(name))
        target = cst.Subscript(value=cst.Name(pvar), slice=[cst.SubscriptElement(cst.Index(key))])
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
        if step is steps[0] and ctx.parent(stmt) not in set(ctx.ancestors(call)):
            return f"`{var}` is first assigned under a condition or in a loop"
        for anc in ctx.ancestors(step):
            if anc is fn:
                break
            if isinstance(anc, cst.ExceptHandler | cst.Finally) or (
                isinstance(anc, cst.Else) and not isinstance(ctx.parent(anc), cst.If)
            ):
                return f"`{var}` is built in an except, finally or loop-else block"
        if _guarded_apart(ctx, step, call):
            return f"`{var}` is built in a try/with block that does not run the query"
    # every Name use: one per step target, one at the call; anything else reads the query text
    if reads != len(steps) + 1:
        return f"`{var}` is also used elsewhere than the query call"
    return steps


def _conditional(ctx: FixContext, step: cst.CSTNode, call: cst.Call) -> bool:
    fn = ctx.enclosing(call, cst.FunctionDef)
    for anc in ctx.ancestors(step):
        if anc is fn:
            return False
        if isinstance(anc, cst.If | cst.For | cst.While | cst.Try):
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
    return isinstance(node.func, cst.Attribute) and node.func.attr.value in (
        *_EXECUTE,
        "executescript",
    )


def _is_many(node: cst.Call) -> bool:
    return isinstance(node.func, cst.Attribute) and node.func.attr.value == "executemany"


# --- beyond plain values: IN lists, lists of conditions, psycopg identifiers ------------------

_SQLITE_IN = "SELECT value FROM json_each(?)"


def _join_of(expr: cst.BaseExpression) -> tuple[str, cst.BaseExpression] | None:
    """``SEP.join(xs)`` with a literal separator: (SEP, xs)."""
    if not (
        isinstance(expr, cst.Call)
        and isinstance(expr.func, cst.Attribute)
        and expr.func.attr.value == "join"
        and isinstance(expr.func.value, cst.SimpleString)
        and len(expr.args) == 1
        and not expr.args[0].star
        and expr.args[0].keyword is None
    ):
        return None
    sep = expr.func.value.evaluated_value
    return (sep, expr.args[0].value) if isinstance(sep, str) else None


def _lone_statement(ctx: FixContext, small: cst.CSTNode) -> cst.SimpleStatementLine | None:
    stmt = ctx.parent(small)
    if isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1:
        return stmt
    return None


def _loop_between(ctx: FixContext, node: cst.CSTNode, top: cst.CSTNode) -> bool:
    for anc in ctx.ancestors(node):
        if anc is top:
            return False
        if isinstance(anc, cst.For | cst.While | cst.ListComp | cst.GeneratorExp):
            return True
    return False


class _FixHooks(_Hooks):
    """The hooks for one query call: they look up the variables the query reads and collect
    the edits that go with the rewrite (assignments inlined, fragment lists rewritten)."""

    def __init__(
        self, ctx: FixContext, call: cst.Call, style: str, *, sqlite: bool, identifiers: bool
    ) -> None:
        self.ctx, self.call, self.style, self.sqlite = ctx, call, style, sqlite
        self.identifiers = identifiers
        self.in_list_sql = _SQLITE_IN if sqlite else ""
        self.tuple_in = False  # the driver writes a tuple parameter as `(a, b, ...)`
        self.fn = ctx.enclosing(call, cst.FunctionDef)
        self.removals: list[cst.CSTNode] = []
        self.imports: list[Import] = []
        self.fragment_lists: dict[str, _Fragments] = {}
        self.composer: str | None = None

    def resolve(self, expr: cst.BaseExpression) -> tuple[cst.BaseExpression, cst.CSTNode | None]:
        """A local read once, right where its one assignment's value can be moved: (that value,
        the assignment statement to remove); else (expr, None)."""
        if not isinstance(expr, cst.Name) or self.fn is None:
            return expr, None
        assign = single_assignment(self.ctx, self.call, expr.value)
        if assign is None or len(name_uses(self.fn, expr.value)) != 2:
            return expr, None
        stmt = _lone_statement(self.ctx, assign)
        if stmt is None or not self.movable(assign.value, stmt, expr):
            return expr, None
        return assign.value, stmt

    def movable(
        self, value: cst.BaseExpression, stmt: cst.SimpleStatementLine, use: cst.CSTNode
    ) -> bool:
        """``value`` computed at ``stmt`` is the same when computed at ``use``: the statement
        runs on every path to the use, and nothing in between touches what it reads."""
        block = self.ctx.parent(stmt)
        ancestors = list(self.ctx.ancestors(use))
        if block not in ancestors or self.fn is None:
            return False
        for anc in ancestors:
            if anc is block:
                break
            if isinstance(anc, cst.For | cst.While | cst.Lambda | cst.FunctionDef):
                return False
        first = self.ctx.position(stmt).end.line
        last = self.ctx.position(use).start.line
        names = names_in(value)
        for name in names:
            for node in name_uses(self.fn, name):
                if first < self.ctx.position(node).start.line < last:
                    return False
        return True

    def order_default_ok(self, expr: cst.BaseExpression, columns: list[str]) -> bool:
        values: list[cst.BaseExpression] = [expr]
        if isinstance(expr, cst.Name) and self.fn is not None:
            for use in name_uses(self.fn, expr.value):
                target = self.ctx.parent(use)
                assign = self.ctx.parent(target) if isinstance(target, cst.AssignTarget) else None
                if isinstance(assign, cst.Assign):
                    values.append(assign.value)
        for value in values:
            default = value
            if (
                isinstance(value, cst.Call)
                and isinstance(value.func, cst.Attribute)
                and value.func.attr.value == "get"
                and len(value.args) >= 2
            ):
                default = value.args[1].value
            if isinstance(default, cst.SimpleString) and default.evaluated_value not in columns:
                return False  # a value the code itself uses would no longer sort
        return True

    def in_list(self, expr: cst.BaseExpression, *, quoted: bool) -> cst.BaseExpression | None:
        if not self.sqlite and not self.tuple_in:
            return None
        value, stmt = self.resolve(expr)
        join = _join_of(value)
        if join is None and not quoted:
            # `IN ({ids})` with the text "1,2,3": its comma-separated items
            var = _fresh(self.ctx, self.call, "item")
            split = cst.parse_expression(f'[{var}.strip() for {var} in str(_).split(",")]')
            assert isinstance(split, cst.ListComp)
            join = (",", split.deep_replace(next(iter(name_uses(split, "_"))), expr))
            assert isinstance(join[1], cst.BaseExpression)
            stmt = None
        if join is None:
            return None
        sep, items = join
        if not quoted and sep.strip() == "," and isinstance(items, cst.GeneratorExp | cst.ListComp):
            # ", ".join(f"'{n}'" for n in names): each element quoted in the text
            elt = parse_template(items.elt)
            inner = _quoted_value(elt) if elt is not None else None
            if inner is not None:
                items = cst.ListComp(elt=inner, for_in=items.for_in)
        if sep.replace(" ", "") != ("','" if quoted else ","):
            return None
        if self.tuple_in:
            if stmt is not None:
                self.removals.append(stmt)
            if isinstance(items, cst.Tuple):
                return items
            return cst.Call(func=cst.Name("tuple"), args=[cst.Arg(items)])
        if "json" in names_in(self.ctx.module) and "json" not in self.ctx.imported_modules():
            return None  # `json` names something else here
        if stmt is not None:
            self.removals.append(stmt)
        self.imports.append(Import(module="json"))
        if not isinstance(items, cst.List | cst.ListComp | cst.Tuple):
            items = cst.Call(func=cst.Name("list"), args=[cst.Arg(items)])
        return cst.Call(func=cst.parse_expression("json.dumps"), args=[cst.Arg(items)])

    def trusted(self, expr: cst.BaseExpression) -> bool:
        if isinstance(expr, cst.Name) and self.fn is not None:
            # `where = " AND ".join(conds)` first: the join stays where it is
            assign = single_assignment(self.ctx, self.call, expr.value)
            if (
                assign is not None
                and _lone_statement(self.ctx, assign) is not None
                and len(name_uses(self.fn, expr.value)) == 2  # no other query reads it
            ):
                expr = assign.value
        expr = _join_or_constant(expr, self.style)
        join = _join_of(expr)
        if join is None or not isinstance(join[1], cst.Name) or self.fn is None:
            return False
        var = join[1].value
        if var not in self.fragment_lists:
            assert isinstance(expr, cst.Call)
            found = _fragments(self, var, expr)
            if found is None:
                return False
            self.fragment_lists[var] = found
        return True

    def expand(self, template: Template) -> Template:
        """Inline ``" AND ".join(clauses)`` of a list display read only there: the query
        becomes one text with the clauses' values in it."""
        parts: list[Part] = []
        for part in template.parts:
            if not isinstance(part, Val) or not part.plain:
                parts.append(part)
                continue
            value, stmt = self.resolve(part.expr)
            join = _join_of(value)
            lists = join and self.resolve(join[1])
            if (
                not join
                or not lists
                or not isinstance(lists[1], cst.SimpleStatementLine)
                or not isinstance(lists[0], cst.List)
                or not self.movable(lists[0], lists[1], part.expr)  # up to the query itself
            ):
                parts.append(part)
                continue
            pieces: list[Part] = []
            for i, el in enumerate(lists[0].elements):
                sub = parse_template(el.value) if isinstance(el, cst.Element) else None
                if sub is None:
                    break
                if i:
                    pieces.append(Lit(join[0]))
                pieces.extend(sub.parts)
            else:
                parts.extend(pieces)
                self.removals += [s for s in (stmt, lists[1]) if s is not None]
                continue
            parts.append(part)
        if len(parts) == len(template.parts) and all(
            a is b for a, b in zip(parts, template.parts, strict=True)
        ):
            return template
        return Template(parts=merge_parts(parts), kind=template.kind, quote=template.quote)


@dataclass
class _Fragments:
    """A list of SQL fragments (``conds = []``, ``conds.append(f"a = '{v}'")``) joined into
    the query: each fragment becomes constant SQL, its values go to a parameter list filled
    alongside."""

    init: cst.SimpleStatementLine
    # (statement, the fragment expression in it, the fragment rebuilt); the init's first
    appends: list[tuple[cst.SimpleStatementLine, cst.BaseExpression, _Query]]
    initial: list[tuple[cst.BaseExpression, _Query]]

    @property
    def n_params(self) -> int:
        return sum(len(q.params) for _, q in self.initial) + sum(
            len(q.params) for _, _, q in self.appends
        )


def _fragments(hooks: _FixHooks, var: str, join: cst.Call) -> _Fragments | None:
    ctx, fn = hooks.ctx, hooks.fn
    assert fn is not None
    init: cst.SimpleStatementLine | None = None
    appends: list[tuple[cst.SimpleStatementLine, cst.BaseExpression, _Query]] = []
    taken: set[str] = set()
    initial: list[tuple[cst.BaseExpression, _Query]] = []
    for name in name_uses(fn, var):
        parent = ctx.parent(name)
        if isinstance(parent, cst.AssignTarget):
            assign = ctx.parent(parent)
            stmt = _lone_statement(ctx, assign) if assign is not None else None
            if (
                init is not None
                or stmt is None
                or not isinstance(assign, cst.Assign)
                or len(assign.targets) != 1
                or not isinstance(assign.value, cst.List)
                or ctx.parent(stmt) not in set(ctx.ancestors(hooks.call))
            ):
                return None
            init = stmt
            for el in assign.value.elements:
                if not isinstance(el, cst.Element):
                    return None
                part = _fragment(el.value, hooks, taken)
                if part is None:
                    return None
                initial.append((el.value, part))
            continue
        if (
            isinstance(parent, cst.Attribute)
            and parent.value is name
            and parent.attr.value == "append"
        ):
            call = ctx.parent(parent)
            expr = ctx.parent(call) if call is not None else None
            stmt = _lone_statement(ctx, expr) if expr is not None else None
            if (
                not isinstance(call, cst.Call)
                or not isinstance(expr, cst.Expr)
                or stmt is None
                or len(call.args) != 1
                or call.args[0].keyword is not None
                or call.args[0].star
            ):
                return None
            if hooks.style == Paramstyle.NAMED and _loop_between(ctx, call, fn):
                return None  # the same parameter name each time round
            if _guarded_apart(ctx, call, hooks.call):
                return None  # an exception could leave the fragment without its values
            q = _fragment(call.args[0].value, hooks, taken)
            if q is None:
                return None
            appends.append((stmt, call.args[0].value, q))
            continue
        outer = ctx.parent(parent) if isinstance(parent, cst.Arg) else None
        if outer is join:
            continue  # the join in the query
        if (
            isinstance(parent, cst.If | cst.While)
            or (isinstance(parent, cst.IfExp) and parent.test is name)
            or (isinstance(parent, cst.UnaryOperation) and isinstance(parent.operator, cst.Not))
        ):
            continue  # `if conds:`
        if isinstance(outer, cst.Call) and dotted(outer.func) == "len":
            continue
        return None
    if init is None or any(
        ctx.position(s).start.line < ctx.position(init).start.line for s, _, _ in appends
    ):
        return None
    return _Fragments(init=init, appends=appends, initial=initial)


def _fragment(expr: cst.BaseExpression, hooks: _FixHooks, taken: set[str]) -> _Query | None:
    template = parse_template(expr)
    if template is None:
        return None
    try:
        q = build_query(template, hooks.style, hooks.ctx.module, taken=taken, allow_empty=True)
    except _Refuse:
        return None
    return q if not (q.idents or q.trusted) else None


_DRIVERS = _QMARK_DRIVERS | _FORMAT_DRIVERS
# Drivers that write a tuple parameter as a parenthesised list, ready for `IN %s`.
_TUPLE_IN = {"psycopg2", "pymysql", "MySQLdb"}


def _module_imports(module: cst.Module) -> set[str]:
    mods: set[str] = set()
    for stmt in module.body:
        if isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                if isinstance(small, cst.Import):
                    mods |= {dotted(a.name).split(".")[0] for a in small.names}
                elif isinstance(small, cst.ImportFrom) and small.module and not small.relative:
                    mods.add(dotted(small.module).split(".")[0])
    return mods


def driver_modules(ctx: FixContext) -> set[str]:
    """The DB-API drivers imported by this module, else by the first project module it imports
    from that imports one."""
    found = ctx.imported_modules() & _DRIVERS
    if found:
        return found
    for candidate in _local_modules(ctx):
        try:
            other = cst.parse_module(ctx.read(candidate))
        except (OSError, LookupError, ValueError, cst.ParserSyntaxError):
            continue
        found = _module_imports(other) & _DRIVERS
        if found:
            return found
    return set()


def _sql_module(ctx: FixContext, driver: str) -> tuple[str, Import]:
    """How to reach psycopg's ``sql`` module here, and the import it needs."""
    for node in ctx.module.body:
        if not isinstance(node, cst.SimpleStatementLine):
            continue
        for small in node.body:
            if (
                isinstance(small, cst.ImportFrom)
                and small.module is not None
                and dotted(small.module) == driver
                and not isinstance(small.names, cst.ImportStar)
                and any(
                    isinstance(a.name, cst.Name) and a.name.value == "sql" and a.asname is None
                    for a in small.names
                )
            ):
                return "sql", Import(module=driver, obj="sql")
    if "sql" not in names_in(ctx.module):
        return "sql", Import(module=driver, obj="sql")
    return f"{driver}.sql", Import(module=f"{driver}.sql")


def _composed(
    ctx: FixContext, driver: str, literal: cst.BaseExpression, q: _Query
) -> tuple[cst.BaseExpression, Import]:
    """``sql.SQL(literal).format(sql.Identifier(a), ...)``; an ORDER BY direction is
    ``sql.SQL("DESC" if str(d).upper() == "DESC" else "ASC")``."""
    ref, imp = _sql_module(ctx, driver)
    idents = q.idents

    def slot(i: int, e: cst.BaseExpression) -> cst.BaseExpression:
        if i in q.directions:
            test = cst.parse_expression('"DESC" if str(_).upper() == "DESC" else "ASC"')
            assert isinstance(test, cst.IfExp)
            choice = test.deep_replace(next(iter(name_uses(test, "_"))), e)
            return cst.Call(func=cst.parse_expression(f"{ref}.SQL"), args=[cst.Arg(choice)])
        return cst.Call(func=cst.parse_expression(f"{ref}.Identifier"), args=[cst.Arg(e)])

    composed = cst.Call(
        func=cst.Attribute(
            value=cst.Call(func=cst.parse_expression(f"{ref}.SQL"), args=[cst.Arg(literal)]),
            attr=cst.Name("format"),
        ),
        args=[
            cst.Arg(
                slot(i, e),
                comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
                if i < len(idents) - 1
                else cst.MaybeSentinel.DEFAULT,
            )
            for i, e in enumerate(idents)
        ],
    )
    return composed, imp


def _fresh(ctx: FixContext, node: cst.CSTNode, base: str) -> str:
    fn = ctx.enclosing(node, cst.FunctionDef)
    used = names_in(fn if fn is not None else ctx.module)
    name, n = base, 2
    while name in used:
        name, n = f"{base}_{n}", n + 1
    return name


def _fragment_edits(frags: _Fragments, pvar: str, style: str) -> dict[cst.CSTNode, Replacement]:
    """Each fragment as constant SQL, and its values added to ``pvar`` right after it."""
    out: dict[cst.CSTNode, Replacement] = {}
    init: cst.CSTNode = frags.init
    values: list[tuple[str, cst.BaseExpression]] = []
    new_values: dict[int, cst.BaseExpression] = {}
    for expr, q in frags.initial:
        template = parse_template(expr)
        if template is not None and (q.params or q.sql != template.literal_text):
            new_values[id(expr)] = _query_literal(q.sql, template.quote)
        values += q.params
    assign = frags.init.body[0]
    if new_values and isinstance(assign, cst.Assign) and isinstance(assign.value, cst.List):
        # one pass: a node rebuilt by a replacement is no longer the original
        elements = [
            el.with_changes(value=new_values.get(id(el.value), el.value))
            if isinstance(el, cst.Element)
            else el
            for el in assign.value.elements
        ]
        new_list = assign.value.with_changes(elements=elements)
        init = frags.init.with_changes(body=[assign.with_changes(value=new_list)])
    sep = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    container: cst.BaseExpression
    if style == Paramstyle.NAMED:
        container = cst.Dict(
            elements=[
                cst.DictElement(
                    key=cst.SimpleString(quote_text(n)),
                    value=e,
                    comma=sep if i < len(values) - 1 else cst.MaybeSentinel.DEFAULT,
                )
                for i, (n, e) in enumerate(values)
            ]
        )
    else:
        container = cst.List(
            elements=[
                cst.Element(e, comma=sep if i < len(values) - 1 else cst.MaybeSentinel.DEFAULT)
                for i, (_, e) in enumerate(values)
            ]
        )
    assert isinstance(init, cst.SimpleStatementLine)
    made = cst.SimpleStatementLine(
        body=[cst.Assign(targets=[cst.AssignTarget(cst.Name(pvar))], value=container)]
    )
    out[frags.init] = cst.FlattenSentinel([init, made])
    for stmt, expr, q in frags.appends:
        template = parse_template(expr)
        if template is None or (not q.params and q.sql == template.literal_text):
            continue
        quote = template.quote
        new = stmt.deep_replace(expr, _query_literal(q.sql, quote))
        assert isinstance(new, cst.SimpleStatementLine)
        extra = [_add_param(pvar, name, e, style) for name, e in q.params]
        out[stmt] = cst.FlattenSentinel([new, *extra]) if extra else new
    return out


def _hooks(ctx: FixContext, call: cst.Call, style: str, *, plain: bool) -> _FixHooks:
    """The hooks for a query run by ``call``: IN lists on SQLite, identifiers with psycopg's
    composition when the query is a plain string (``plain``) given to psycopg."""
    drivers = driver_modules(ctx)
    sqlite = style == Paramstyle.QMARK and bool(drivers & _QMARK_DRIVERS)
    composers = drivers & {"psycopg2", "psycopg"}
    hooks = _FixHooks(ctx, call, style, sqlite=sqlite, identifiers=False)
    hooks.tuple_in = style == Paramstyle.FORMAT and bool(drivers) and drivers <= _TUPLE_IN
    if plain and style == Paramstyle.FORMAT and len(composers) == 1 and drivers <= composers:
        hooks.identifiers = True
        hooks.composer = next(iter(composers))
    return hooks


def _loop_of(ctx: FixContext, node: cst.CSTNode) -> tuple[bool, str | None, list[str]]:
    """Whether ``node`` runs in a loop of its function; the loop's variable and values when the
    innermost loop goes over a literal collection of distinct identifier strings."""
    for anc in ctx.ancestors(node):
        if isinstance(anc, cst.FunctionDef | cst.Lambda):
            break
        if isinstance(anc, cst.While):
            return True, None, []
        if isinstance(anc, cst.For):
            values = _loop_values(anc)
            if not isinstance(anc.target, cst.Name) or values is None:
                return True, None, []
            var = anc.target.value
            for use in name_uses(anc.body, var):
                parent = ctx.parent(use)
                if isinstance(
                    parent, cst.AssignTarget | cst.AugAssign | cst.NamedExpr | cst.For | cst.AsName
                ):
                    return True, None, []  # reassigned in the loop
            return True, var, values
    return False, None, []


def _loop_values(loop: cst.For) -> list[str] | None:
    if not isinstance(loop.iter, cst.Tuple | cst.List | cst.Set):
        return None
    values: list[str] = []
    for el in loop.iter.elements:
        if not isinstance(el, cst.Element) or not isinstance(el.value, cst.SimpleString):
            return None
        value = el.value.evaluated_value
        if not isinstance(value, str) or not value.isidentifier() or value in values:
            return None
        values.append(value)
    return values or None


def _step_literal(ctx: FixContext, q: _Query, quote: str) -> cst.BaseExpression | None:
    """The rebuilt SQL of a piece: a constant, or an f-string of the loop's constant."""
    if not q.inline:
        return _query_literal(q.sql, quote)
    pieces: list[str | cst.BaseExpression] = []
    texts = q.sql.split(_INLINE_SLOT)
    for i, text in enumerate(texts):
        if text:
            pieces.append(text)
        if i < len(q.inline):
            pieces.append(q.inline[i])
    return fstring_node(pieces, ctx.module, quote)


def _quoted_value(template: Template) -> cst.BaseExpression | None:
    """``'{x}'``: the value between the quotes."""
    parts = template.parts
    if (
        len(parts) == 3
        and isinstance(parts[0], Lit)
        and parts[0].text == "'"
        and isinstance(parts[1], Val)
        and parts[1].plain
        and isinstance(parts[2], Lit)
        and parts[2].text == "'"
    ):
        return parts[1].expr
    return None


def _join_or_constant(expr: cst.BaseExpression, style: str) -> cst.BaseExpression:
    """The join in ``" AND ".join(c) if c else "1=1"`` / ``" AND ".join(c) or "1=1"`` (the
    other branch constant SQL that needs no escaping), else ``expr``."""
    if isinstance(expr, cst.IfExp):
        branches = [expr.body, expr.orelse]
    elif isinstance(expr, cst.BooleanOperation) and isinstance(expr.operator, cst.Or):
        branches = [expr.left, expr.right]
    else:
        return expr
    joins = [b for b in branches if _join_of(b) is not None]
    others = [b for b in branches if _join_of(b) is None]
    if len(joins) != 1 or len(others) != 1 or not isinstance(others[0], cst.SimpleString):
        return expr
    text = others[0].evaluated_value
    if not isinstance(text, str) or (style == Paramstyle.FORMAT and "%" in text):
        return expr
    return joins[0]


def _guarded_apart(ctx: FixContext, node: cst.CSTNode, call: cst.CSTNode) -> bool:
    """``node`` sits in a try or with block that ``call`` is not in: an exception raised
    between the rewritten statement and the parameters added after it could be swallowed
    and the query still run."""
    around_call = set(ctx.ancestors(call))
    for anc in ctx.ancestors(node):
        if isinstance(anc, cst.FunctionDef):
            return False
        if isinstance(anc, cst.Try | cst.TryStar | cst.With) and anc not in around_call:
            return True
    return False
