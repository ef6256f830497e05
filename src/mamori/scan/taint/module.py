"""Per-module facts the analyser needs: import aliases, functions, constants, web frameworks.

Built from the standard :mod:`ast` tree (line numbers come for free and it is several times
faster to walk than a LibCST tree); one :class:`ModuleInfo` per file, computed once.
"""

from __future__ import annotations

import ast
import builtins
import re
from dataclasses import dataclass, field

NOT_CONST = object()

_BUILTINS = frozenset(dir(builtins))

FLASK_CONVERTER = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")
FASTAPI_PARAM = re.compile(r"{(\w+)(?::\w+)?}")
ROUTE_METHODS = frozenset({"route", "get", "post", "put", "delete", "patch", "api_route"})
SAFE_CONVERTERS = frozenset({"int", "float", "uuid", "any"})


def module_name(path: str) -> str:
    """``src/pkg/mod.py`` -> ``pkg.mod``; ``pkg/__init__.py`` -> ``pkg``."""
    parts = path.removesuffix(".py").split("/")
    if parts and parts[-1] == "__init__":
        parts.pop()
    if parts and parts[0] == "src":
        parts.pop(0)
    return ".".join(parts)


@dataclass(kw_only=True)
class FunctionInfo:
    qualname: str  # module-qualified: "portal.auth.login"
    local_name: str  # within the module: "login", "Cls.method"
    node: ast.FunctionDef | ast.AsyncFunctionDef
    module: ModuleInfo
    class_name: str | None = None
    params: tuple[str, ...] = ()
    vararg: str | None = None
    kwarg: str | None = None
    # Framework facts
    flask_view: bool = False
    tainted_params: frozenset[str] = frozenset()  # route parameters holding request data
    request_params: frozenset[str] = frozenset()  # parameters that are request objects


@dataclass(kw_only=True)
class ModuleInfo:
    path: str
    name: str
    tree: ast.Module
    is_package: bool
    aliases: dict[str, str] = field(default_factory=dict)
    functions: dict[str, FunctionInfo] = field(default_factory=dict)
    classes: frozenset[str] = frozenset()
    constants: dict[str, object] = field(default_factory=dict)
    frameworks: frozenset[str] = frozenset()
    # Binding-related nodes (Name stores, single-target assignments, imports, global/nonlocal)
    # under each scope body: key 0 for the module, id(def node) for a function. One walk of the
    # tree fills it; walking each scope separately made parsing-sized work several times over.
    scope_nodes: dict[int, list[ast.AST]] = field(default_factory=dict)

    def package(self) -> str:
        return self.name if self.is_package else self.name.rpartition(".")[0]


def _resolve_relative(mod: ModuleInfo, level: int, module: str | None) -> str:
    base = mod.package()
    for _ in range(level - 1):
        base = base.rpartition(".")[0]
    if module:
        return f"{base}.{module}" if base else module
    return base


_COLLECTION_CALLS: dict[str, type] = {
    "frozenset": frozenset,
    "set": set,
    "tuple": tuple,
    "list": list,
}


def literal_value(node: ast.expr) -> object:
    """The value of a literal (constants and containers of constants), else NOT_CONST.

    ``frozenset({...})`` and the like count: that is how allow-lists are usually written."""
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in _COLLECTION_CALLS
        and not node.keywords
        and len(node.args) <= 1
    ):
        inner = literal_value(node.args[0]) if node.args else ()
        if inner is NOT_CONST:
            return NOT_CONST
        try:
            return _COLLECTION_CALLS[node.func.id](inner)
        except TypeError:
            return NOT_CONST
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return NOT_CONST


_BINDING = (ast.Name, ast.Assign, ast.Import, ast.ImportFrom, ast.Global, ast.Nonlocal)
_FUNCTION = (ast.FunctionDef, ast.AsyncFunctionDef)
# Nodes where a literal may be bound to a name (hard-coded secrets); key in scope_nodes.
_LITERAL_SITE = (ast.Assign, ast.AnnAssign, ast.Call, ast.Dict, ast.Compare)
LITERAL_SITES = -1


def index_scopes(tree: ast.Module) -> dict[int, list[ast.AST]]:
    """The binding-related nodes under the module and under each function body, and every
    node where a literal can meet a name (key ``LITERAL_SITES``), in one walk."""
    index: dict[int, list[ast.AST]] = {0: []}
    todo: list[tuple[ast.AST, tuple[list[ast.AST], ...]]] = [
        (stmt, (index[0],)) for stmt in reversed(tree.body)
    ]
    literals = index.setdefault(LITERAL_SITES, [])
    while todo:
        node, owners = todo.pop()
        if isinstance(node, _LITERAL_SITE):
            literals.append(node)
        if isinstance(node, _BINDING) and (
            not isinstance(node, ast.Name) or isinstance(node.ctx, ast.Store)
        ):
            for owner in owners:
                owner.append(node)
        if isinstance(node, _FUNCTION):
            inner = index.setdefault(id(node), [])
            for name in node._fields:
                value = getattr(node, name, None)
                sub = (*owners, inner) if name == "body" else owners
                if isinstance(value, list):
                    todo.extend((v, sub) for v in reversed(value) if isinstance(v, ast.AST))
                elif isinstance(value, ast.AST):
                    todo.append((value, sub))
            continue
        for name in node._fields:
            value = getattr(node, name, None)
            if isinstance(value, list):
                todo.extend((v, owners) for v in reversed(value) if isinstance(v, ast.AST))
            elif isinstance(value, ast.AST):
                todo.append((value, owners))
    return index


def _collect_imports(mod: ModuleInfo) -> None:
    frameworks: set[str] = set()
    for node in mod.scope_nodes[0]:
        if isinstance(node, ast.Import):
            for a in node.names:
                frameworks.add(a.name.split(".")[0])
                if a.asname:
                    mod.aliases[a.asname] = a.name
                else:
                    top = a.name.split(".")[0]
                    mod.aliases.setdefault(top, top)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = _resolve_relative(mod, node.level, node.module)
            else:
                base = node.module or ""
                frameworks.add(base.split(".")[0])
            for a in node.names:
                if a.name == "*":
                    continue
                mod.aliases[a.asname or a.name] = f"{base}.{a.name}" if base else a.name
    mod.frameworks = frozenset(
        frameworks & {"flask", "django", "fastapi", "starlette", "rest_framework", "bottle"}
    )


def _collect_constants(mod: ModuleInfo) -> None:
    """Module-level names bound exactly once, to a literal (for dead branches, allow-lists)."""
    counts: dict[str, int] = {}
    values: dict[str, object] = {}
    for node in mod.scope_nodes[0]:
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            counts[node.id] = counts.get(node.id, 0) + 1
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            for n in node.names:
                counts[n] = counts.get(n, 0) + 2
    for stmt in mod.tree.body:
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
            target, value = stmt.targets[0], stmt.value
        elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
            target, value = stmt.target, stmt.value
        else:
            continue
        if isinstance(target, ast.Name):
            v = literal_value(value)
            if v is not NOT_CONST:
                values[target.id] = v
    mod.constants = {k: v for k, v in values.items() if counts.get(k) == 1}
    mod.constants.setdefault("TYPE_CHECKING", False)


def _decorator_route(dec: ast.expr) -> tuple[str, str | None] | None:
    """(method, path pattern) for ``@x.route("/p")`` style decorators."""
    if not isinstance(dec, ast.Call) or not isinstance(dec.func, ast.Attribute):
        return None
    if dec.func.attr not in ROUTE_METHODS:
        return None
    pattern = None
    if dec.args and isinstance(dec.args[0], ast.Constant) and isinstance(dec.args[0].value, str):
        pattern = dec.args[0].value
    for kw in dec.keywords:
        if kw.arg in {"rule", "path"} and isinstance(kw.value, ast.Constant):
            pattern = str(kw.value.value)
    return dec.func.attr, pattern


_SAFE_ANNOTATIONS = frozenset(
    {"int", "float", "bool", "UUID", "uuid.UUID", "date", "datetime", "Decimal", "PositiveInt"}
)
_NOT_DATA_ANNOTATIONS = frozenset(
    {"Response", "BackgroundTasks", "Session", "AsyncSession", "WebSocket", "HTTPConnection"}
)


def _annotation_name(node: ast.expr | None) -> str:
    if node is None:
        return ""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Subscript):
        # Annotated[int, ...], Optional[int]
        inner = node.slice
        if isinstance(inner, ast.Tuple) and inner.elts:
            inner = inner.elts[0]
        return _annotation_name(inner)
    if isinstance(node, ast.BinOp):  # int | None
        return _annotation_name(node.left)
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return ""


def _framework_facts(
    fi: FunctionInfo, request_names: frozenset[str], request_annotations: frozenset[str]
) -> None:
    mod = fi.module
    node = fi.node
    args = node.args
    params = [a for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)]
    if fi.class_name and params and params[0].arg in {"self", "cls"}:
        params = params[1:]
    defaults: dict[str, ast.expr] = {}
    positional = [*args.posonlyargs, *args.args]
    for a, d in zip(positional[len(positional) - len(args.defaults) :], args.defaults, strict=True):
        defaults[a.arg] = d
    for a, kd in zip(args.kwonlyargs, args.kw_defaults, strict=True):
        if kd is not None:
            defaults[a.arg] = kd

    request_params = {
        p.arg
        for p in params
        if _annotation_name(p.annotation) in request_annotations
        or (
            p.arg in request_names
            and mod.frameworks & {"django", "fastapi", "starlette", "rest_framework"}
        )
    }
    tainted: set[str] = set()
    routes = [r for r in (_decorator_route(d) for d in node.decorator_list) if r is not None]
    fastapi = bool(mod.frameworks & {"fastapi", "starlette"})
    if routes and not fastapi:
        fi.flask_view = True
        for _, pattern in routes:
            for conv, name in FLASK_CONVERTER.findall(pattern or ""):
                if (conv or "string") not in SAFE_CONVERTERS:
                    tainted.add(name)
    elif routes and fastapi:
        for p in params:
            ann = _annotation_name(p.annotation)
            default = defaults.get(p.arg)
            if p.arg in request_params or ann in _SAFE_ANNOTATIONS or ann in _NOT_DATA_ANNOTATIONS:
                continue
            if isinstance(default, ast.Call) and _annotation_name(default.func) in {
                "Depends",
                "Security",
            }:
                continue
            tainted.add(p.arg)
    elif (
        (mod.frameworks & {"django", "rest_framework"})
        and params
        and (params[0].arg in request_params)
    ):
        # A Django view: (request, **url_kwargs). URL converters live in urls.py, so the
        # annotation is the only hint that a keyword is an int.
        for p in params[1:]:
            if _annotation_name(p.annotation) not in _SAFE_ANNOTATIONS:
                tainted.add(p.arg)
    fi.tainted_params = frozenset(tainted)
    fi.request_params = frozenset(request_params)


def build_module(
    path: str,
    tree: ast.Module,
    *,
    request_names: frozenset[str],
    request_annotations: frozenset[str],
) -> ModuleInfo:
    mod = ModuleInfo(
        path=path, name=module_name(path), tree=tree, is_package=path.endswith("__init__.py")
    )
    mod.scope_nodes = index_scopes(tree)
    _collect_imports(mod)
    _collect_constants(mod)
    classes: set[str] = set()

    def visit(body: list[ast.stmt], prefix: str, class_name: str | None) -> None:
        for stmt in body:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                local = f"{prefix}{stmt.name}"
                a = stmt.args
                fi = FunctionInfo(
                    qualname=f"{mod.name}.{local}" if mod.name else local,
                    local_name=local,
                    node=stmt,
                    module=mod,
                    class_name=class_name,
                    params=tuple(x.arg for x in (*a.posonlyargs, *a.args, *a.kwonlyargs)),
                    vararg=a.vararg.arg if a.vararg else None,
                    kwarg=a.kwarg.arg if a.kwarg else None,
                )
                _framework_facts(fi, request_names, request_annotations)
                mod.functions[local] = fi
                visit(stmt.body, f"{local}.", None)
            elif isinstance(stmt, ast.ClassDef):
                local = f"{prefix}{stmt.name}"
                classes.add(local)
                visit(stmt.body, f"{local}.", local)
            elif isinstance(stmt, (ast.If, ast.Try, ast.With)):
                # Functions defined under `if`/`try` at module level are still module functions.
                for sub in ("body", "orelse", "finalbody"):
                    visit(getattr(stmt, sub, []) or [], prefix, class_name)
                for h in getattr(stmt, "handlers", []) or []:
                    visit(h.body, prefix, class_name)

    visit(tree.body, "", None)
    mod.classes = frozenset(classes)
    return mod


def resolve_name(mod: ModuleInfo, name: str) -> str | None:
    """The fully qualified name a module-level name refers to, if known."""
    if name in mod.aliases:
        return mod.aliases[name]
    if name in mod.functions or name in mod.classes:
        return f"{mod.name}.{name}" if mod.name else name
    if name in _BUILTINS:
        return f"builtins.{name}"
    return None
