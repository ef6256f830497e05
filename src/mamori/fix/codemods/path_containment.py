"""CWE-22: a path built from input under a base directory -> a join that cannot leave it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import libcst as cst

from mamori.domain import FixerId, RiskClass
from mamori.fix.codemods._base import (
    CodemodFixer,
    Edit,
    FixContext,
    Import,
    Replacement,
    calls_in,
    dotted,
    fstring_node,
    function_params,
    names_in,
    positional,
    string_node,
)
from mamori.fix.codemods._safety import is_constant
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
    "os.open",
    "os.removedirs",
    "os.truncate",
    "os.chmod",
    "os.chown",
    "os.utime",
    "os.symlink",
    "os.link",
    "io.FileIO",
    "aiofiles.open",
    "pathlib.Path.open",
    "flask.helpers.send_file",
    "werkzeug.utils.send_file",
    "fastapi.responses.FileResponse",
    "starlette.responses.FileResponse",
}
# Keyword names of the path arguments (as the taint engine's sink models name them).
_PATH_KEYWORDS = {"file", "path", "path_or_file", "filename", "name", "src", "dst", "target"}
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
    "symlink_to",
    "hardlink_to",
    "chmod",
}
_ARG_METHODS = {"save"}
# Sinks whose second argument is a path too (the destination of a copy or move), and pathlib
# methods whose one argument is (``src.rename(dst)``).
_TWO_PATH_SINKS = {
    "os.rename",
    "os.replace",
    "shutil.copyfile",
    "shutil.copy",
    "shutil.copy2",
    "shutil.move",
    "shutil.copytree",
    "os.symlink",
    "os.link",
}
_TWO_PATH_METHODS = {"rename", "replace"}
# Sinks that resolve a relative path against the application, not the working directory.
_APP_RELATIVE = {"flask.send_file", "flask.helpers.send_file", "werkzeug.utils.send_file"}
_NORMALISERS = {"os.path.realpath", "os.path.abspath", "posixpath.realpath", "ntpath.realpath"}
_CHECK_WORDS = ("commonpath", "is_relative_to", "is None")
_RAISE = 'raise ValueError("path escapes its base directory")'
# How a web framework answers a refused path: 404, as for a file that does not exist (an
# exception would be a 500, or propagate out of the framework's test client).
_REFUSALS = (
    ("flask", "abort(404)", Import(module="flask", obj="abort")),
    (
        "fastapi",
        "raise HTTPException(status_code=404)",
        Import(module="fastapi", obj="HTTPException"),
    ),
    ("django", "raise Http404()", Import(module="django.http", obj="Http404")),
)
_MAX_DEPTH = 4
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
    # The input is a whole path (absolute paths under the base are valid); the base is the
    # directory of the value's literal default, so `safe_join` (which refuses them) is no fit.
    whole: bool = False
    # No base directory in the code: the working directory, against which the sink resolved
    # relative names before, is taken as the base (absolute paths are refused).
    cwd: bool = False


@dataclass
class _SinkArg:
    """A path argument of a sink call."""

    expr: cst.BaseExpression
    cwd: bool  # the sink resolves a relative path against the working directory
    pathlib: bool  # the sink needs a pathlib object (the receiver of a pathlib method)


@dataclass
class _Search:
    """What resolving the sink's path arguments found besides paths to fix."""

    contained: bool = False  # an argument is kept inside its base already
    unknown: bool = False  # an argument whose origin (and so base) is not known


class PathContainmentFixer(CodemodFixer):
    info = FixerInfo(
        id=FixerId("mamori:fix/path-containment"),
        title="Keep user-supplied paths inside their base directory",
        cwes=(22, 23, 36),
        risk=RiskClass.LOW,
        risk_reason=(
            "names inside the base directory resolve to the same file; only names that"
            " climb out of it (`..`, absolute paths, symbolic links) are refused"
        ),
        description=(
            "Contains a path built from a base directory and input, whose result is opened"
            " (`open`, `io.open`, `send_file`, `os.remove`, `shutil.copy`, pathlib's"
            " `read_text`/`open`/`rename`/..., `FileStorage.save`, ...): `os.path.join(BASE,"
            ' name)`, a string built by f-string or concatenation (`f"/srv/files/{name}.txt"`,'
            ' `BASE + "/" + name`) or pathlib (`BASE / name`, `Path(BASE, name)`,'
            " `BASE.joinpath(name)`). The path is found at the sink, through the local"
            " variables assigned to it, the module functions that return it and the callers"
            " that pass it as an argument; a path attribute or parameter with a literal"
            " default file is contained in that file's directory. Every path argument of the"
            " sink is contained (`shutil.copytree(src, dst)`, `src.rename(dst)`). Before the"
            " statement, the path is resolved (`os.path.realpath` / `Path.resolve()`, which"
            " follows symbolic links) and refused unless it lies inside the resolved base"
            " (`os.path.commonpath` / `Path.is_relative_to`): with `abort(404)` in Flask,"
            " `HTTPException(404)` in FastAPI, `Http404` in Django, `ValueError` elsewhere; in"
            " Flask a string path is joined with `werkzeug.utils.safe_join` instead. The checks"
            " are local statements, so that two fixes in one module do not touch the same"
            " lines; a path in an expression that cannot be moved before its statement uses a"
            " small `_contained_path(BASE, ...)` helper. A whole path read from the request"
            " with no base directory in the code is kept inside the working directory, where"
            " the sink resolved relative names (medium risk). Declines when there is no base"
            " directory otherwise: a parameter whose callers are elsewhere, a value of unknown"
            " origin."
        ),
    )

    def edit(self, ctx: FixContext) -> Edit | Declined | None:
        found = self._paths(ctx)
        if isinstance(found, Declined) or found is None:
            return found
        return self._fix(ctx, found)

    # --- finding the path expression ----------------------------------------------------

    def _paths(self, ctx: FixContext) -> list[_PathExpr] | Declined | None:
        """The built paths at the finding's line, and those behind every path argument of a
        sink at that line (variables, returned values, callers' arguments)."""
        found: list[_PathExpr] = []
        sink_args: list[_SinkArg] = []
        search = _Search()
        for call in ctx.nodes_at_line(cst.Call):
            names = ctx.qualified_names(call.func)
            if names & _JOIN:
                found.extend(self._resolve(ctx, call, search, 0) or [])
                continue
            sink_args.extend(_sink_args(ctx, call, names))
        for expr in ctx.nodes_at_line(cst.BaseExpression):  # type: ignore[type-abstract]
            p = self._pathlib(ctx, expr)
            if (
                p is not None
                and not _guarded(ctx, expr)
                and not any(_within(ctx, p.node, q.node) for q in found)
            ):
                found.append(p)
        for arg in sink_args:
            resolved = self._resolve(ctx, arg.expr, search, 0)
            if resolved is None:
                resolved = _request_path(ctx, arg)
            if resolved is None:
                search.unknown = True
            else:
                found.extend(resolved)
        found = _outermost(ctx, found)
        if found:
            return found
        if search.contained:
            return None  # fixed already
        if search.unknown:
            return Declined(
                reason="the path is not built from a base directory in this function (no"
                " `os.path.join`, pathlib join or string with a literal directory): the"
                " allowed directory is not known"
            )
        return None

    def _resolve(
        self, ctx: FixContext, expr: cst.BaseExpression, search: _Search, depth: int
    ) -> list[_PathExpr] | None:
        """The built paths that make up the value of ``expr``: [] when it is contained
        already or a constant, None when its origin is not known."""
        if depth > _MAX_DEPTH:
            return None
        if self._contained(ctx, expr) or _guarded(ctx, expr):
            search.contained = True
            return []
        if isinstance(expr, cst.Call) and ctx.qualified_names(expr.func) & _JOIN:
            p = self._join(expr)
            if p is not None and all(_literal(a) for a in p.args[1:]):
                # join(staging, "data.csv"): the input is in the base; contain the base where
                # it is built from input, else the base is the allowed directory itself.
                return self._resolve(ctx, p.args[0], search, depth + 1) or []
            return [p] if p is not None else None
        p = self._pathlib(ctx, expr) or self._string_path(ctx, expr)
        if p is not None:
            return [p]
        base = _constant_under_base(ctx, expr)
        if base is not None:
            # BASE / "default.png": nothing but constants under the base; contain the base
            # where it is built from input, else the base is the allowed directory itself.
            return self._resolve(ctx, base, search, depth + 1) or []
        if isinstance(expr, cst.Name):
            return self._resolve_name(ctx, expr, search, depth)
        if isinstance(expr, cst.Attribute):
            default = _attribute_default_dir(ctx, expr)
            if default is not None:
                return [_PathExpr(expr, [default[0], expr], pathlib=default[1], whole=True)]
        if isinstance(expr, cst.Call):
            returned = self._resolve_returned(ctx, expr, search, depth)
            if returned is not None:
                return returned
        if is_constant(ctx, expr, expr):
            return []
        return None

    def _resolve_name(
        self, ctx: FixContext, name: cst.Name, search: _Search, depth: int
    ) -> list[_PathExpr] | None:
        fn = ctx.enclosing(name, cst.FunctionDef)
        values = _bindings(fn if fn is not None else ctx.module, name.value)
        if values is None:
            return None
        found: list[_PathExpr] = []
        if fn is not None and name.value in function_params(fn):
            from_param = self._resolve_param(ctx, fn, name, search, depth)
            if from_param is None:
                return None
            found.extend(from_param)
        elif not values:
            return [] if is_constant(ctx, name, name) else None  # a global
        for value in values:
            resolved = self._resolve(ctx, value, search, depth + 1)
            if resolved is None:
                return None
            found.extend(resolved)
        return found

    def _resolve_param(
        self, ctx: FixContext, fn: cst.FunctionDef, name: cst.Name, search: _Search, depth: int
    ) -> list[_PathExpr] | None:
        """A parameter: the paths every caller in the module passes for it, else the directory
        of its literal default file."""
        from_callers = self._resolve_callers(ctx, fn, name.value, search, depth)
        if from_callers is not None:
            return from_callers
        param = next(
            (
                p
                for p in (*fn.params.params, *fn.params.kwonly_params)
                if p.name.value == name.value
            ),
            None,
        )
        default = _default_dir(ctx, param.default) if param and param.default else None
        if default is None:
            return None
        return [_PathExpr(name, [default[0], name], pathlib=default[1], whole=True)]

    def _resolve_callers(
        self, ctx: FixContext, fn: cst.FunctionDef, param: str, search: _Search, depth: int
    ) -> list[_PathExpr] | None:
        if not isinstance(ctx.parent(fn), cst.Module) or fn.decorators:
            return None  # a method or a registered handler: the callers are not all here
        params = [p.name.value for p in fn.params.params]
        index = params.index(param) if param in params else None
        calls = [
            c
            for c in calls_in(ctx.module)
            if isinstance(c.func, cst.Name) and c.func.value == fn.name.value
        ]
        if not calls:
            return None
        found: list[_PathExpr] = []
        for c in calls:
            if any(a.star for a in c.args):
                return None
            arg = next((a for a in c.args if a.keyword and a.keyword.value == param), None)
            if arg is None and index is not None:
                pos = [a for a in c.args if a.keyword is None]
                arg = pos[index] if index < len(pos) else None
            if arg is None:
                return None
            resolved = self._resolve(ctx, arg.value, search, depth + 1)
            if resolved is None:
                return None
            found.extend(resolved)
        return found

    def _resolve_returned(
        self, ctx: FixContext, call: cst.Call, search: _Search, depth: int
    ) -> list[_PathExpr] | None:
        """``current_path()``: the paths a function of this module (or method of this class)
        returns."""
        fn = _callee(ctx, call)
        if fn is None:
            return None
        returns = _returns(fn)
        if not returns:
            return None
        found: list[_PathExpr] = []
        for value in returns:
            resolved = self._resolve(ctx, value, search, depth + 1)
            if resolved is None:
                return None
            found.extend(resolved)
        return found

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
            operands = _division_operands(expr)
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

    def _fix(self, ctx: FixContext, paths: list[_PathExpr]) -> Edit | None:
        """Check every path before the statement that uses it (several paths of one statement
        share the inserted lines); a path that cannot move out of its expression is wrapped in
        the helper instead."""
        flask = "flask" in ctx.imported_modules()
        path_class, path_imports = _path_class(ctx)
        refuse, refuse_imports = _refusal(ctx)
        imports: list[Import] = []
        replacements: dict[cst.CSTNode, Replacement] = {}
        helpers: dict[str, str] = {}
        groups: dict[int, tuple[cst.BaseStatement, list[_PathExpr]]] = {}
        for path in paths:
            stmt = _hoist_target(ctx, path.node)
            if stmt is None:
                call: cst.BaseExpression = cst.Call(func=cst.Name(_HELPER), args=_args(path.args))
                if path.pathlib:
                    call = cst.Call(func=cst.parse_expression(path_class), args=[cst.Arg(call)])
                    imports.extend(path_imports)
                replacements[path.node] = call
                helpers[_HELPER] = _HELPER_CODE
                imports.append(Import(module="os"))
                continue
            groups.setdefault(id(stmt), (stmt, []))[1].append(path)
        safe_join_used = False
        used_in: dict[int, set[str]] = {}  # names taken in each function (or the module)

        def size(item: tuple[cst.BaseStatement, list[_PathExpr]]) -> int:
            pos = ctx.position(item[0])
            return pos.end.line - pos.start.line

        # Innermost statements first: an outer statement (an `if` whose header and body both
        # hold a path) is rebuilt with the changes inside it already made.
        for stmt, group in sorted(groups.values(), key=size):
            scope = ctx.enclosing(stmt, cst.FunctionDef) or ctx.module
            used = used_in.setdefault(id(scope), names_in(scope))
            target = _sole_assign_target(stmt, group)
            lines: list[str] = []
            bases: dict[str, str] = {}
            swaps: dict[cst.CSTNode, Replacement] = {
                node: new
                for node, new in replacements.items()
                if node is not stmt and _within(ctx, node, stmt)
            }
            for path in group:
                var = target or _fresh("safe_path", used)
                base_expr = path.args[0]
                if path.pathlib:
                    base_expr = _unwrap_path(ctx, base_expr)  # Path(Path(d)) is Path(d)
                base_code = _code(ctx, base_expr)
                rest = ", ".join(_code(ctx, a) for a in path.args[1:])
                if flask and not path.pathlib and not path.whole:
                    lines.append(f"{var} = safe_join({base_code}, {rest})\n")
                    lines.append(f"if {var} is None:\n    abort(404)\n")
                    safe_join_used = True
                else:
                    base = bases.get(base_code)
                    if base is None:
                        base = bases[base_code] = _fresh("base_dir", used)
                        lines.append(
                            f"{base} = {path_class}({base_code}).resolve()\n"
                            if path.pathlib
                            else f"{base} = os.path.realpath({base_code})\n"
                        )
                    imports.extend(refuse_imports)
                    if path.pathlib:
                        imports.extend(path_imports)
                        lines.append(f"{var} = {path_class}({base}, {rest}).resolve()\n")
                        lines.append(f"if not {var}.is_relative_to({base}):\n    {refuse}\n")
                    else:
                        imports.append(Import(module="os"))
                        lines.append(f"{var} = os.path.realpath(os.path.join({base}, {rest}))\n")
                        lines.append(
                            f"if os.path.commonpath([{base}, {var}]) != {base}:\n    {refuse}\n"
                        )
                swaps[path.node] = cst.Name(var)
            new: list[cst.BaseStatement] = list(cst.parse_module("".join(lines)).body)
            if target is None:
                moved = stmt.visit(_Swap(swaps))
                assert isinstance(moved, cst.SimpleStatementLine | cst.BaseCompoundStatement)
                new.append(moved.with_changes(leading_lines=[]))
            first = new[0]
            assert isinstance(first, cst.SimpleStatementLine | cst.BaseCompoundStatement)
            new[0] = first.with_changes(leading_lines=_leading(stmt))
            replacements[stmt] = cst.FlattenSentinel(new)
        if safe_join_used:
            imports.append(Import(module="werkzeug.utils", obj="safe_join"))
            imports.append(Import(module="flask", obj="abort"))
        unique = tuple(dict.fromkeys(imports))
        description = (
            "Resolve the path (following symbolic links) and refuse it when it is not"
            " inside its base directory (404 in a web framework, ValueError elsewhere)."
        )
        if any(p.cwd for p in paths):
            return Edit(
                replacements=replacements,
                imports=unique,
                helpers=helpers,
                description=description
                + " The code names no base directory: the working directory is taken.",
                risk=RiskClass.MEDIUM,
                risk_reason=(
                    "the code names no base directory for this path read from the request:"
                    " it is kept inside the working directory, where relative names resolved"
                    " before; absolute paths and names outside it are refused"
                ),
            )
        return Edit(
            replacements=replacements, imports=unique, helpers=helpers, description=description
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


def _path_class(ctx: FixContext) -> tuple[str, tuple[Import, ...]]:
    """How this module names ``pathlib.Path``, and the import that name needs."""
    if "Path" in _imported_names(ctx):
        return "Path", ()
    return "pathlib.Path", (Import(module="pathlib"),)


def _leading(stmt: cst.BaseStatement) -> Sequence[cst.EmptyLine]:
    if isinstance(stmt, cst.SimpleStatementLine | cst.BaseCompoundStatement):
        return stmt.leading_lines
    return ()


def _sink_args(ctx: FixContext, call: cst.Call, names: set[str]) -> list[_SinkArg]:
    """The path arguments of a sink call (none when ``call`` is no sink)."""
    args = positional(call)
    method = _method(call)
    keywords = [a.value for a in call.args if a.keyword and a.keyword.value in _PATH_KEYWORDS]
    if names & _SINKS:
        count = 2 if names & _TWO_PATH_SINKS else 1
        cwd = not names & _APP_RELATIVE
        values = [a.value for a in args[:count]] + keywords
        return [_SinkArg(v, cwd=cwd, pathlib=False) for v in values]
    first = [a.value for a in args[:1]] + keywords
    if method in _ARG_METHODS and first:
        return [_SinkArg(v, cwd=True, pathlib=False) for v in first]
    if method in _PATH_METHODS and isinstance(call.func, cst.Attribute):
        found = [_SinkArg(call.func.value, cwd=True, pathlib=True)]
        if method in _TWO_PATH_METHODS:
            if len(call.args) != 1 or len(first) != 1:
                return []  # str.replace(old, new), not Path.replace(target)
            found.append(_SinkArg(first[0], cwd=True, pathlib=False))
        return found
    return []


def _request_path(ctx: FixContext, arg: _SinkArg) -> list[_PathExpr] | None:
    """A whole path read from the web request (``open(request.args["file"])``,
    ``Path(request.form["name"]).unlink()``) with no base directory anywhere: the sink resolved
    a relative name against the working directory, so that directory is the base (relative
    names open the same file; ``..`` and absolute paths are refused)."""
    if not arg.cwd:
        return None
    expr, inner, pathlib = arg.expr, arg.expr, arg.pathlib
    if isinstance(expr, cst.Call) and ctx.qualified_names(expr.func) & _PATH_CLASSES:
        if len(expr.args) != 1 or expr.args[0].star or expr.args[0].keyword:
            return None
        inner, pathlib = expr.args[0].value, True
    values: list[cst.BaseExpression] = [inner]
    if isinstance(inner, cst.Name):
        fn = ctx.enclosing(inner, cst.FunctionDef)
        if fn is None or inner.value in function_params(fn):
            return None
        bound = _bindings(fn, inner.value)
        if not bound:
            return None
        values = bound
    if not all(_reads_request(ctx, v) or is_constant(ctx, v, v) for v in values):
        return None
    if not any(_reads_request(ctx, v) for v in values):
        return None
    return [_PathExpr(expr, [string_node("."), inner], pathlib=pathlib, whole=True, cwd=True)]


def _reads_request(ctx: FixContext, expr: cst.BaseExpression) -> bool:
    """``expr`` reads the web request: the framework's ``request`` (Flask, Quart, Bottle) or
    a ``request`` parameter of the handler (Django, ...)."""
    fn = ctx.enclosing(expr, cst.FunctionDef)
    params = set(function_params(fn)) if fn is not None else set()
    found = False

    class V(cst.CSTVisitor):
        def visit_Name(self, node: cst.Name) -> None:
            nonlocal found
            if node.value != "request":
                return
            qualified = ctx.qualified_names(node)
            if "request" in params or any(q.endswith(".request") for q in qualified):
                found = True

    expr.visit(V())
    return found


def _outermost(ctx: FixContext, paths: list[_PathExpr]) -> list[_PathExpr]:
    """Each path once, without those inside another one (the outer fix covers them)."""
    unique: list[_PathExpr] = []
    for p in paths:
        if not any(p.node is q.node for q in unique):
            unique.append(p)
    return [
        p for p in unique if not any(q is not p and _within(ctx, p.node, q.node) for q in unique)
    ]


def _guarded(ctx: FixContext, node: cst.CSTNode) -> bool:
    """``node`` is (inside) the value of ``var = os.path.realpath(...)`` / ``Path(...).resolve()``
    / ``safe_join(...)``, and the next statement refuses ``var`` when it leaves its base: the
    check this fixer writes (idempotence), or one written by hand."""
    stmt = ctx.statement_of(node)
    if not isinstance(stmt, cst.SimpleStatementLine) or len(stmt.body) != 1:
        return False
    small = stmt.body[0]
    if not isinstance(small, cst.Assign | cst.AnnAssign) or small.value is None:
        return False
    targets = [t.target for t in small.targets] if isinstance(small, cst.Assign) else [small.target]
    if len(targets) != 1 or not isinstance(targets[0], cst.Name):
        return False
    var = targets[0].value
    value = small.value
    if not _within(ctx, node, value) or not isinstance(value, cst.Call):
        return False
    names = ctx.qualified_names(value.func)
    local = value.func.value if isinstance(value.func, cst.Name) else ""
    if not (
        names & (_NORMALISERS | _CONTAINED) or local in _CONTAINED or _method(value) == "resolve"
    ):
        return False
    block = ctx.parent(stmt)
    body: Sequence[cst.CSTNode]
    if isinstance(block, cst.IndentedBlock | cst.Module):
        body = block.body
    else:
        return False
    index = next((i for i, s in enumerate(body) if s is stmt), None)
    if index is None or index + 1 >= len(body):
        return False
    check = body[index + 1]
    if not isinstance(check, cst.If) or var not in names_in(check.test):
        return False
    test = ctx.code(check.test)
    return any(word in test for word in _CHECK_WORDS) and _exits(check.body)


def _exits(block: cst.BaseSuite) -> bool:
    stmts = block.body if isinstance(block, cst.IndentedBlock) else [block]
    last = stmts[-1] if stmts else None
    small = last.body[-1] if isinstance(last, cst.SimpleStatementLine) and last.body else None
    if isinstance(small, cst.Raise | cst.Return):
        return True
    return (
        isinstance(small, cst.Expr)
        and isinstance(small.value, cst.Call)
        and dotted(small.value.func).split(".")[-1] == "abort"
    )


def _division_operands(expr: cst.BinaryOperation) -> list[cst.BaseExpression]:
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
    return operands


def _constant_under_base(ctx: FixContext, expr: cst.BaseExpression) -> cst.BaseExpression | None:
    """The base of ``BASE / "default.png"`` or ``Path(BASE, "x")``: a named base and only
    literals under it."""
    if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.Divide):
        operands = _division_operands(expr)
    elif isinstance(expr, cst.Call) and ctx.qualified_names(expr.func) & _PATH_CLASSES:
        if any(a.star or a.keyword for a in expr.args) or len(expr.args) < 2:
            return None
        operands = [a.value for a in expr.args]
    else:
        return None
    if _base_like(operands[0]) and all(_literal(o) for o in operands[1:]):
        return operands[0]
    return None


def _default_dir(
    ctx: FixContext, value: cst.BaseExpression
) -> tuple[cst.BaseExpression, bool] | None:
    """The directory of a literal default file (``"/srv/reports/default.csv"`` ->
    ``"/srv/reports"``; ``Path("/srv/a/b.png")`` -> pathlib), else None."""
    pathlib = False
    if isinstance(value, cst.Call) and ctx.qualified_names(value.func) & _PATH_CLASSES:
        if len(value.args) != 1 or value.args[0].star or value.args[0].keyword:
            return None
        value, pathlib = value.args[0].value, True
    if not isinstance(value, cst.SimpleString):
        return None
    text = value.evaluated_value
    if not isinstance(text, str) or not text.startswith("/"):
        return None
    directory = text[: text.rfind("/")].rstrip("/")
    if not directory or ".." in directory.split("/"):
        return None
    return string_node(directory, value.quote[-1] if value.quote[-1] in "\"'" else '"'), pathlib


def _attribute_default_dir(
    ctx: FixContext, attr: cst.Attribute
) -> tuple[cst.BaseExpression, bool] | None:
    """``self.source`` whose class gives it one literal default file: that file's directory
    is where the attribute's files live."""
    if not (isinstance(attr.value, cst.Name) and attr.value.value == "self"):
        return None
    cls = ctx.enclosing(attr, cst.ClassDef)
    if cls is None:
        return None
    name = attr.attr.value
    values: list[cst.BaseExpression] = []
    body = cls.body

    class V(cst.CSTVisitor):
        def visit_ClassDef(self, node: cst.ClassDef) -> bool:
            return node is cls

        def visit_Assign(self, node: cst.Assign) -> None:
            for t in node.targets:
                target = t.target
                if (
                    isinstance(target, cst.Attribute)
                    and isinstance(target.value, cst.Name)
                    and target.value.value == "self"
                    and target.attr.value == name
                ) or (
                    isinstance(target, cst.Name)
                    and target.value == name
                    and ctx.parent(ctx.parent(node) or node) is body
                ):
                    values.append(node.value)

    cls.visit(V())
    dirs = [d for d in (_default_dir(ctx, v) for v in values) if d is not None]
    if not dirs:
        return None
    codes = {ctx.code(d[0]) for d in dirs}
    return dirs[0] if len(codes) == 1 else None


def _bindings(scope: cst.CSTNode, var: str) -> list[cst.BaseExpression] | None:
    """The values assigned to ``var`` in ``scope`` (not in nested functions or classes); None
    when it is also bound another way (loop, ``with``, augmented assignment, unpacking)."""
    values: list[cst.BaseExpression] = []
    other = False

    class V(cst.CSTVisitor):
        def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
            return node is scope

        def visit_ClassDef(self, node: cst.ClassDef) -> bool:
            return node is scope

        def visit_Lambda(self, node: cst.Lambda) -> bool:
            return False

        def visit_Assign(self, node: cst.Assign) -> None:
            nonlocal other
            for t in node.targets:
                if isinstance(t.target, cst.Name) and t.target.value == var:
                    values.append(node.value)
                elif var in names_in(t.target):
                    other = True

        def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
            nonlocal other
            if isinstance(node.target, cst.Name) and node.target.value == var:
                if node.value is None:
                    return
                values.append(node.value)

        def visit_AugAssign(self, node: cst.AugAssign) -> None:
            nonlocal other
            if isinstance(node.target, cst.Name) and node.target.value == var:
                other = True

        def visit_For(self, node: cst.For) -> None:
            nonlocal other
            if var in names_in(node.target):
                other = True

        def visit_WithItem(self, node: cst.WithItem) -> None:
            nonlocal other
            if node.asname is not None and var in names_in(node.asname.name):
                other = True

        def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
            nonlocal other
            if var in names_in(node.target):
                other = True

        def visit_Global(self, node: cst.Global) -> None:
            nonlocal other
            if any(n.name.value == var for n in node.names):
                other = True

        def visit_ExceptHandler(self, node: cst.ExceptHandler) -> None:
            nonlocal other
            if node.name is not None and var in names_in(node.name.name):
                other = True

        def visit_ImportAlias(self, node: cst.ImportAlias) -> None:
            nonlocal other
            if node.asname is not None:
                bound = names_in(node.asname.name)
            else:
                bound = {dotted(node.name).split(".")[0]}  # `import os.path` binds `os`
            if var in bound:
                other = True

        def visit_Nonlocal(self, node: cst.Nonlocal) -> None:
            nonlocal other
            if any(n.name.value == var for n in node.names):
                other = True

    scope.visit(V())
    return None if other else values


def _callee(ctx: FixContext, call: cst.Call) -> cst.FunctionDef | None:
    """The function of this module (``f()``) or method of the enclosing class (``self.f()``)
    that ``call`` runs."""
    func = call.func
    if isinstance(func, cst.Name):
        body: Sequence[cst.CSTNode] = ctx.module.body
        name = func.value
    elif (
        isinstance(func, cst.Attribute)
        and isinstance(func.value, cst.Name)
        and func.value.value == "self"
    ):
        cls = ctx.enclosing(call, cst.ClassDef)
        if cls is None or not isinstance(cls.body, cst.IndentedBlock):
            return None
        body, name = cls.body.body, func.attr.value
    else:
        return None
    defs = [s for s in body if isinstance(s, cst.FunctionDef) and s.name.value == name]
    if len(defs) != 1 or defs[0].decorators:
        return None
    return defs[0]


def _returns(fn: cst.FunctionDef) -> list[cst.BaseExpression]:
    """The values ``fn`` returns ([] when one return has no value or none is found)."""
    values: list[cst.BaseExpression] = []
    bare = False

    class V(cst.CSTVisitor):
        def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
            return node is fn

        def visit_Lambda(self, node: cst.Lambda) -> bool:
            return False

        def visit_Return(self, node: cst.Return) -> None:
            nonlocal bare
            if node.value is None:
                bare = True
            else:
                values.append(node.value)

    fn.visit(V())
    return [] if bare else values


# Expressions whose parts are evaluated conditionally, repeatedly or elsewhere: a path inside
# them cannot be computed before the statement.
_NOT_HOISTABLE = (
    cst.Lambda,
    cst.ListComp,
    cst.SetComp,
    cst.DictComp,
    cst.GeneratorExp,
    cst.IfExp,
    cst.BooleanOperation,
    cst.BaseSuite,
    cst.Decorator,
    cst.Parameters,
)


def _hoist_target(ctx: FixContext, node: cst.CSTNode) -> cst.BaseStatement | None:
    """The statement before which ``node`` can be computed once, with the same result: it runs
    ``node`` exactly once, first thing (a simple statement alone on its line, or the header of
    an ``if``, ``for`` or ``with`` in a block)."""
    stmt = ctx.statement_of(node)
    if stmt is None or not isinstance(ctx.parent(stmt), cst.IndentedBlock | cst.Module):
        return None
    if isinstance(stmt, cst.SimpleStatementLine):
        if len(stmt.body) != 1:
            return None
    elif not isinstance(stmt, cst.If | cst.For | cst.With):
        return None
    for anc in ctx.ancestors(node):
        if anc is stmt:
            break
        if isinstance(anc, _NOT_HOISTABLE):
            return None
    else:
        return None
    if names_in(node) & _bound_in_header(ctx, stmt, node):
        return None  # `with A() as d, open(join(d, name))`: `d` does not exist before
    return stmt


def _bound_in_header(ctx: FixContext, stmt: cst.BaseStatement, node: cst.CSTNode) -> set[str]:
    """Names the statement binds before it evaluates ``node``: earlier ``with`` targets and
    assignment expressions (``:=``) outside ``node``."""
    bound: set[str] = set()
    if isinstance(stmt, cst.With):
        for item in stmt.items:
            if _within(ctx, node, item):
                break
            if item.asname is not None:
                bound |= names_in(item.asname.name)
    header: cst.CSTNode = stmt
    if isinstance(stmt, cst.If | cst.For | cst.With):
        header = stmt.test if isinstance(stmt, cst.If) else stmt
    walrus: set[str] = set()

    class V(cst.CSTVisitor):
        def visit_NamedExpr(self, n: cst.NamedExpr) -> bool:
            if not _within(ctx, n, node):
                walrus.update(names_in(n.target))
            return True

        def visit_IndentedBlock(self, n: cst.IndentedBlock) -> bool:
            return False  # the body runs after the header

    header.visit(V())
    return bound | walrus


def _sole_assign_target(stmt: cst.BaseStatement, group: list[_PathExpr]) -> str | None:
    """``var`` when the statement is ``var = <the one path>``: it is checked in place."""
    if len(group) != 1 or not isinstance(stmt, cst.SimpleStatementLine):
        return None
    small = stmt.body[0]
    if (
        isinstance(small, cst.Assign)
        and len(small.targets) == 1
        and isinstance(small.targets[0].target, cst.Name)
        and small.value is group[0].node
    ):
        return small.targets[0].target.value
    return None


def _fresh(prefix: str, used: set[str]) -> str:
    name, n = prefix, 2
    while name in used:
        name, n = f"{prefix}_{n}", n + 1
    used.add(name)
    return name


def _code(ctx: FixContext, expr: cst.BaseExpression) -> str:
    if _plain_parens(expr):
        expr = expr.with_changes(lpar=[], rpar=[])
    return ctx.module.code_for_node(expr)


class _Swap(cst.CSTTransformer):
    def __init__(self, swaps: dict[cst.CSTNode, Replacement]) -> None:
        super().__init__()
        self._by_id = {id(k): v for k, v in swaps.items()}

    def on_leave(self, original_node: Any, updated_node: Any) -> Any:
        return self._by_id.get(id(original_node), updated_node)


def _unwrap_path(ctx: FixContext, expr: cst.BaseExpression) -> cst.BaseExpression:
    """``x`` for ``Path(x)`` (one plain argument), else ``expr``."""
    if (
        isinstance(expr, cst.Call)
        and ctx.qualified_names(expr.func) & _PATH_CLASSES
        and len(expr.args) == 1
        and not expr.args[0].star
        and expr.args[0].keyword is None
    ):
        return expr.args[0].value
    return expr


def _refusal(ctx: FixContext) -> tuple[str, tuple[Import, ...]]:
    """The statement that refuses a path escaping its base, and the import it needs."""
    modules = ctx.imported_modules()
    for module, statement, imp in _REFUSALS:
        if module in modules:
            return statement, (imp,)
    return _RAISE, ()
