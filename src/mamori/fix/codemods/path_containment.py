"""CWE-22: a path built from input under a base directory -> a join that cannot leave it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import libcst as cst

from mamori.domain import FixerId, RiskClass
from mamori.fix.codemods._base import (
    CodemodFixer,
    Edit,
    FixContext,
    Import,
    fstring_node,
    names_in,
    positional,
    single_assignment,
    string_node,
)
from mamori.fix.codemods._template import Lit, Part, Template, Val, parse_template
from mamori.fix.interface import Declined, FixerInfo

_JOIN = {"os.path.join", "posixpath.join", "ntpath.join"}
_PATH_CLASSES = {"pathlib.Path", "pathlib.PurePath", "pathlib.PosixPath", "pathlib.PurePosixPath"}
_SINKS = {
    "open",
    "builtins.open",
    "io.open",
    "codecs.open",
    "flask.send_file",
    "os.remove",
    "os.unlink",
    "os.makedirs",
    "os.mkdir",
    "os.listdir",
    "os.scandir",
    "os.rmdir",
    "os.rename",
    "os.replace",
    "os.stat",
    "shutil.rmtree",
    "shutil.copyfile",
    "shutil.copy",
    "shutil.copy2",
    "shutil.move",
    "shutil.copytree",
    "tarfile.open",
    "zipfile.ZipFile",
}
# Methods that open or change the file named by their receiver (pathlib) or first argument
# (werkzeug's FileStorage.save).
_PATH_METHODS = {
    "read_text",
    "read_bytes",
    "write_text",
    "write_bytes",
    "open",
    "unlink",
    "rename",
    "replace",
    "iterdir",
    "mkdir",
    "rmdir",
    "touch",
    "stat",
}
_ARG_METHODS = {"save"}
# Calls that already keep the path inside its base (idempotence).
_CONTAINED = {
    "_contained_path",
    "safe_join",
    "werkzeug.utils.safe_join",
    "werkzeug.security.safe_join",
}
_HELPER = "_contained_path"
_HELPER_CODE = '''def _contained_path(base, *parts):
    """Join ``parts`` under ``base``; raise ValueError when the result would leave ``base``."""
    root = os.path.realpath(base)
    path = os.path.realpath(os.path.join(root, *parts))
    if os.path.commonpath([root, path]) == root:
        return path
    raise ValueError("path escapes its base directory")
'''


@dataclass
class _PathExpr:
    """A path built under a base directory: the node to replace and the join arguments."""

    node: cst.BaseExpression
    args: list[cst.BaseExpression]
    pathlib: bool  # the original expression was a pathlib object (the result must be one)


class PathContainmentFixer(CodemodFixer):
    info = FixerInfo(
        id=FixerId("mamori:fix/path-containment"),
        title="Keep user-supplied paths inside their base directory",
        cwes=(22, 23, 36),
        risk=RiskClass.LOW,
        risk_reason=(
            "names inside the base directory resolve to the same file; only names that"
            " climb out of it (`..`, absolute paths) are refused"
        ),
        description=(
            "Replaces a path built from a base directory and input, whose result is opened"
            " (`open`, `io.open`, `send_file`, `os.remove`, `shutil.copy`, pathlib's"
            " `read_text`/`open`/..., `FileStorage.save`, ...): `os.path.join(BASE, name)`, a"
            ' string built by f-string or concatenation (`f"/srv/files/{name}.txt"`, `BASE +'
            ' "/" + name`) or pathlib (`BASE / name`, `Path(BASE, name)`,'
            " `BASE.joinpath(name)`). In Flask modules a string path becomes"
            " `werkzeug.utils.safe_join(BASE, ...)` followed by `if path is None: abort(404)`;"
            " elsewhere (and for pathlib objects, wrapped in `Path(...)`) a small"
            " `_contained_path(BASE, ...)` helper resolves the real path and raises"
            " `ValueError` when it is not inside `BASE`. Declines when the path has no literal"
            " or named base directory."
        ),
    )

    def edit(self, ctx: FixContext) -> Edit | Declined | None:
        found = self._paths(ctx)
        if isinstance(found, Declined) or found is None:
            return found
        for path in found:
            result = self._fix(ctx, path)
            if result is not None:
                return result
        return None

    # --- finding the path expression ----------------------------------------------------

    def _paths(self, ctx: FixContext) -> list[_PathExpr] | Declined | None:
        """The built paths at the finding's line, or those assigned to a variable that a sink
        at that line uses."""
        found: list[_PathExpr] = []
        sink_args: list[cst.BaseExpression] = []
        for call in ctx.nodes_at_line(cst.Call):
            names = ctx.qualified_names(call.func)
            if names & _JOIN:
                p = self._join(call)
                if p is not None:
                    found.append(p)
                continue
            args = positional(call)
            if (names & _SINKS or _method(call) in _ARG_METHODS) and args:
                sink_args.append(args[0].value)
            elif _method(call) in _PATH_METHODS:
                assert isinstance(call.func, cst.Attribute)
                sink_args.append(call.func.value)
        for expr in ctx.nodes_at_line(cst.BaseExpression):  # type: ignore[type-abstract]
            p = self._pathlib(ctx, expr)
            if p is not None and not any(_within(ctx, p.node, q.node) for q in found):
                found.append(p)
        for arg in sink_args:
            if self._contained(ctx, arg):
                return None  # fixed already
            p = self._string_path(ctx, arg)
            if p is not None:
                found.append(p)
            if isinstance(arg, cst.Name):
                assign = single_assignment(ctx, arg, arg.value)
                if assign is None:
                    continue
                value = assign.value
                if self._contained(ctx, value):
                    return None
                p = (
                    self._join(value)
                    if isinstance(value, cst.Call) and ctx.qualified_names(value.func) & _JOIN
                    else self._pathlib(ctx, value) or self._string_path(ctx, value)
                )
                if p is not None:
                    found.append(p)
        if found:
            return found
        if sink_args:
            return Declined(
                reason="the path is not built from a base directory in this function (no"
                " `os.path.join`, pathlib join or string with a literal directory): the"
                " allowed directory is not known"
            )
        return None

    def _contained(self, ctx: FixContext, expr: cst.BaseExpression) -> bool:
        if isinstance(expr, cst.Call) and ctx.qualified_names(expr.func) & _PATH_CLASSES:
            args = positional(expr)
            if len(expr.args) == 1 and args:
                expr = args[0].value
        if not isinstance(expr, cst.Call):
            return False
        if isinstance(expr.func, cst.Name) and expr.func.value in _CONTAINED:
            return True
        return bool(ctx.qualified_names(expr.func) & _CONTAINED)

    def _join(self, call: cst.Call) -> _PathExpr | None:
        if any(a.star or a.keyword for a in call.args) or len(call.args) < 2:
            return None
        return _PathExpr(call, [a.value for a in call.args], pathlib=False)

    def _pathlib(self, ctx: FixContext, expr: cst.CSTNode) -> _PathExpr | None:
        """``BASE / a / b``, ``Path(BASE, a)``, ``BASE.joinpath(a)``, ``Path(f"/dir/{a}")``."""
        if not _pathlib_imported(ctx):
            return None
        if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.Divide):
            parent = ctx.parent(expr)
            if isinstance(parent, cst.BinaryOperation) and isinstance(parent.operator, cst.Divide):
                return None  # the outermost division holds the whole path
            operands: list[cst.BaseExpression] = [expr.right]
            cur = expr.left
            while (
                isinstance(cur, cst.BinaryOperation)
                and isinstance(cur.operator, cst.Divide)
                and not cur.lpar
            ):
                operands.insert(0, cur.right)
                cur = cur.left
            operands.insert(0, cur)
            if all(_literal(o) for o in operands[1:]):
                return None  # nothing but constants under the base
            return _PathExpr(expr, operands, pathlib=True)
        if not isinstance(expr, cst.Call) or any(a.star or a.keyword for a in expr.args):
            return None
        if ctx.qualified_names(expr.func) & _PATH_CLASSES:
            args = [a.value for a in expr.args]
            if len(args) >= 2 and not all(_literal(a) for a in args[1:]):
                return _PathExpr(expr, args, pathlib=True)
            if len(args) == 1:
                inner = self._string_path(ctx, args[0])
                if inner is not None:
                    return inner  # Path(str) of a contained str is a contained Path
            return None
        if _method(expr) == "joinpath" and expr.args:
            assert isinstance(expr.func, cst.Attribute)
            args = [expr.func.value, *(a.value for a in expr.args)]
            if not all(_literal(a) for a in args[1:]):
                return _PathExpr(expr, args, pathlib=True)
        return None

    def _string_path(self, ctx: FixContext, expr: cst.BaseExpression) -> _PathExpr | None:
        """A path string built from a base directory and values:
        ``f"/srv/files/{name}"`` -> ("/srv/files", name); ``BASE + "/" + name``."""
        if (
            isinstance(expr, cst.BinaryOperation)
            and isinstance(expr.operator, cst.Add)
            and isinstance(expr.left, cst.Name)
            and expr.left.value in _dir_constants(ctx)
            and parse_template(expr) is None
        ):
            return _PathExpr(expr, [expr.left, expr.right], pathlib=False)  # UPLOADS + name
        template = parse_template(expr)
        if template is None or not template.values:
            return None
        split = _split_base(template, _dir_constants(ctx))
        if split is None:
            return None
        base, rest = split
        if not any(isinstance(p, Val) for p in rest):
            return None
        pieces: list[str | cst.BaseExpression] = []
        for p in rest:
            if isinstance(p, Lit):
                pieces.append(p.text)
            elif not p.plain:
                return None
            else:
                pieces.append(p.expr)
        if len(pieces) == 1 and not isinstance(pieces[0], str):
            rest_expr: cst.BaseExpression = pieces[0]
        else:
            built = fstring_node(pieces, cst.Module(body=[]), template.quote)
            if built is None:
                return None
            rest_expr = built
        return _PathExpr(expr, [base, rest_expr], pathlib=False)

    # --- rewriting ----------------------------------------------------------------------

    def _fix(self, ctx: FixContext, path: _PathExpr) -> Edit | None:
        flask = "flask" in ctx.imported_modules()
        if path.pathlib or not flask:
            call: cst.BaseExpression = cst.Call(func=cst.Name(_HELPER), args=_args(path.args))
            imports: tuple[Import, ...] = (Import(module="os"),)
            if path.pathlib:
                call = cst.Call(
                    func=cst.parse_expression(_path_class(ctx)),
                    args=[cst.Arg(call)],
                )
            return Edit(
                replacements={path.node: call},
                imports=imports,
                helpers={_HELPER: _HELPER_CODE},
                description=(
                    "Resolve the joined path and refuse it (ValueError) when it is not inside"
                    " its base directory."
                ),
            )
        safe = cst.Call(func=cst.Name("safe_join"), args=_args(path.args))
        stmt = ctx.statement_of(path.node)
        if stmt is None:
            return None
        parent = ctx.parent(path.node)
        if (
            isinstance(parent, cst.Assign)
            and len(parent.targets) == 1
            and isinstance(parent.targets[0].target, cst.Name)
            and isinstance(stmt, cst.SimpleStatementLine)
            and len(stmt.body) == 1
        ):
            var = parent.targets[0].target.value
            new_stmt = stmt.deep_replace(path.node, safe)
            check = cst.parse_statement(f"if {var} is None:\n    abort(404)\n")
            replacement = cst.FlattenSentinel([new_stmt, check])
        else:
            used = names_in(ctx.enclosing(path.node, cst.FunctionDef) or ctx.module)
            var = "safe_path"
            n = 2
            while var in used:
                var, n = f"safe_path_{n}", n + 1
            assign = cst.parse_statement(f"{var} = x\n")
            assert isinstance(assign, cst.SimpleStatementLine)
            small = assign.body[0]
            assert isinstance(small, cst.Assign)
            assign = assign.with_changes(
                body=[small.with_changes(value=safe)], leading_lines=_leading(stmt)
            )
            check = cst.parse_statement(f"if {var} is None:\n    abort(404)\n")
            rest = stmt.deep_replace(path.node, cst.Name(var))
            assert isinstance(rest, cst.SimpleStatementLine | cst.BaseCompoundStatement)
            replacement = cst.FlattenSentinel([assign, check, rest.with_changes(leading_lines=[])])
        return Edit(
            replacements={stmt: replacement},
            imports=(
                Import(module="werkzeug.utils", obj="safe_join"),
                Import(module="flask", obj="abort"),
            ),
            description=(
                "Join the path with `werkzeug.utils.safe_join`, which refuses names that leave"
                " the base directory, and answer 404 for them."
            ),
        )


def _split_base(template: Template, dirs: set[str]) -> tuple[cst.BaseExpression, list[Part]] | None:
    """The base directory of a built path string and the parts under it (``dirs``: module
    constants that hold a directory ending with "/", as in ``UPLOADS + name``)."""
    parts = list(template.parts)
    first = parts[0]
    if isinstance(first, Lit):
        # The literal directory: the first literal up to its last "/" ("/srv/files/x-" ->
        # "/srv/files" and "x-" goes with the values).
        cut = first.text.rfind("/")
        base = first.text[:cut].rstrip("/")
        if cut < 0 or not base or base in (".", ".."):
            return None
        rest_text = first.text[cut + 1 :]
        rest: list[Part] = [Lit(rest_text)] if rest_text else []
        return string_node(base, template.quote), rest + parts[1:]
    if not first.plain or len(parts) < 2 or not _base_like(first.expr):
        return None
    second = parts[1]
    if isinstance(second, Lit) and second.text.startswith("/"):
        rest_text = second.text.lstrip("/")
        return first.expr, ([Lit(rest_text)] if rest_text else []) + parts[2:]
    if isinstance(first.expr, cst.Name) and first.expr.value in dirs:
        return first.expr, parts[1:]
    return None


def _dir_constants(ctx: FixContext) -> set[str]:
    """Module-level names assigned once, to a string literal that ends with "/"."""
    values: dict[str, list[object]] = {}
    for stmt in ctx.module.body:
        if not isinstance(stmt, cst.SimpleStatementLine):
            continue
        for small in stmt.body:
            if isinstance(small, cst.Assign) and len(small.targets) == 1:
                target = small.targets[0].target
                if isinstance(target, cst.Name):
                    value = small.value
                    text = value.evaluated_value if isinstance(value, cst.SimpleString) else None
                    values.setdefault(target.value, []).append(text)
    return {
        name
        for name, texts in values.items()
        if len(texts) == 1 and isinstance(texts[0], str) and texts[0].endswith("/")
    }


def _base_like(expr: cst.BaseExpression) -> bool:
    """A directory named by a constant, setting or attribute (not a call result)."""
    return isinstance(expr, cst.Name | cst.Attribute | cst.Subscript)


def _literal(expr: cst.BaseExpression) -> bool:
    return isinstance(expr, cst.SimpleString | cst.ConcatenatedString)


def _within(ctx: FixContext, inner: cst.CSTNode, outer: cst.CSTNode) -> bool:
    return inner is outer or any(a is outer for a in ctx.ancestors(inner))


def _method(call: cst.Call) -> str:
    return call.func.attr.value if isinstance(call.func, cst.Attribute) else ""


def _args(values: Sequence[cst.BaseExpression]) -> list[cst.Arg]:
    sep = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    last = len(values) - 1
    return [
        cst.Arg(
            v.with_changes(lpar=[], rpar=[]) if _plain_parens(v) else v,
            comma=sep if i < last else cst.MaybeSentinel.DEFAULT,
        )
        for i, v in enumerate(values)
    ]


def _plain_parens(expr: cst.BaseExpression) -> bool:
    """Parentheses that only grouped an operand of ``/`` (not needed as a call argument)."""
    return bool(expr.lpar) and not isinstance(expr, cst.Tuple | cst.GeneratorExp)


def _imported_names(ctx: FixContext) -> set[str]:
    names: set[str] = set()
    for node in ctx.module.body:
        if not isinstance(node, cst.SimpleStatementLine):
            continue
        for small in node.body:
            if isinstance(small, cst.ImportFrom) and not isinstance(small.names, cst.ImportStar):
                for alias in small.names:
                    if alias.asname is None and isinstance(alias.name, cst.Name):
                        names.add(alias.name.value)
    return names


def _pathlib_imported(ctx: FixContext) -> bool:
    return "pathlib" in ctx.imported_modules()


def _path_class(ctx: FixContext) -> str:
    """How this module names ``pathlib.Path``."""
    return "Path" if "Path" in _imported_names(ctx) else "pathlib.Path"


def _leading(stmt: cst.BaseStatement) -> Sequence[cst.EmptyLine]:
    if isinstance(stmt, cst.SimpleStatementLine | cst.BaseCompoundStatement):
        return stmt.leading_lines
    return ()
