"""Per-module facts the analyser needs: import aliases, functions, constants, web frameworks.

Built from the standard :mod:`ast` tree (line numbers come for free and it is several times
faster to walk than a LibCST tree); one :class:`ModuleInfo` per file, computed once.
"""

from __future__ import annotations

import ast
import builtins
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

NOT_CONST = object()

_BUILTINS = frozenset(dir(builtins))

FLASK_CONVERTER = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")
FASTAPI_PARAM = re.compile(r"{(\w+)(?::\w+)?}")
ROUTE_METHODS = frozenset({"route", "get", "post", "put", "delete", "patch", "api_route"})
SAFE_CONVERTERS = frozenset({"int", "float", "uuid", "any"})
# Flask hooks whose return value (when not None) is the response, like a view's.
RESPONSE_HOOKS = frozenset(
    {"errorhandler", "app_errorhandler", "before_request", "before_app_request"}
)
# Class-based views (flask.views): these methods answer requests.
VIEW_BASES = frozenset({"MethodView", "View"})
VIEW_METHODS = frozenset(
    {"get", "post", "put", "patch", "delete", "head", "options", "dispatch_request"}
)


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
    # class (local name) -> the names of its bases (last component), for entry points.
    class_bases: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Form classes (Flask-WTF/WTForms) whose instances read the request's form data.
    form_classes: frozenset[str] = frozenset()
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
    if not _may_be_literal(node):
        # Most expressions tested here (names, calls, f-strings) are not literals: answered
        # without literal_eval, each call of which leaves four closures of cyclic garbage.
        return NOT_CONST
    if isinstance(node, ast.Constant):
        return node.value
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return NOT_CONST


# What ``ast.literal_eval`` accepts: constants, containers of them, signed numbers, complex
# sums (``1+2j``) and ``set()``.
_LITERAL_LEAVES = (ast.Constant, ast.UnaryOp, ast.BinOp, ast.Call)
_LITERAL_CONTAINERS = (ast.Tuple, ast.List, ast.Set)


def _may_be_literal(node: ast.expr | None) -> bool:
    """False when ``ast.literal_eval(node)`` surely raises (True does not promise it won't)."""
    if isinstance(node, _LITERAL_LEAVES):
        return True
    if isinstance(node, _LITERAL_CONTAINERS):
        return all(_may_be_literal(e) for e in node.elts)
    if isinstance(node, ast.Dict):
        return all(k is not None and _may_be_literal(k) for k in node.keys) and all(
            _may_be_literal(v) for v in node.values
        )
    return False


_BINDING = (ast.Name, ast.Assign, ast.Import, ast.ImportFrom, ast.Global, ast.Nonlocal)
_FUNCTION = (ast.FunctionDef, ast.AsyncFunctionDef)
# Nodes where a literal may be bound to a name (hard-coded secrets); key in scope_nodes.
_LITERAL_SITE = (ast.Assign, ast.AnnAssign, ast.Call, ast.Dict, ast.Compare)
LITERAL_SITES = -1


# Fields that never hold a child node (names, flags, contexts): not walked.
_NOT_CHILDREN = frozenset(
    {"ctx", "id", "attr", "kind", "type_comment", "level", "module", "is_async", "conversion"}
    | {"simple", "name", "asname", "arg"}
)
# Node class -> its fields that may hold child nodes (filled on first sight of each class).
_CHILD_FIELDS: dict[type, tuple[str, ...]] = {ast.Constant: (), ast.Name: ()}


def index_scopes(tree: ast.Module) -> dict[int, list[ast.AST]]:
    """The binding-related nodes under the module and under each function body, and every
    node where a literal can meet a name (key ``LITERAL_SITES``), in one walk.

    The walk is the hottest loop of loading a module (a re-scan loads dozens): it looks only
    at the fields of each node class that can hold nodes, and takes ``Name`` apart."""
    index: dict[int, list[ast.AST]] = {0: []}
    todo: list[tuple[ast.AST, tuple[list[ast.AST], ...]]] = [
        (stmt, (index[0],)) for stmt in reversed(tree.body)
    ]
    literals = index.setdefault(LITERAL_SITES, [])
    children = _CHILD_FIELDS
    node_type = ast.AST
    while todo:
        node, owners = todo.pop()
        cls = type(node)
        fields = children.get(cls)
        if fields is None:
            fields = children[cls] = tuple(f for f in cls._fields if f not in _NOT_CHILDREN)
        if cls is ast.Name:
            if isinstance(node.ctx, ast.Store):  # type: ignore[attr-defined]
                for owner in owners:
                    owner.append(node)
            continue
        if isinstance(node, _LITERAL_SITE):
            literals.append(node)
        if isinstance(node, _BINDING):
            for owner in owners:
                owner.append(node)
        if isinstance(node, _FUNCTION):
            inner = index.setdefault(id(node), [])
            for name in fields:
                value = getattr(node, name, None)
                sub = (*owners, inner) if name == "body" else owners
                if type(value) is list:
                    todo.extend((v, sub) for v in reversed(value) if isinstance(v, node_type))
                elif isinstance(value, node_type):
                    todo.append((value, sub))
            continue
        for name in fields:
            value = getattr(node, name, None)
            if type(value) is list:
                if value:
                    todo.extend((v, owners) for v in reversed(value) if isinstance(v, node_type))
            elif isinstance(value, node_type):
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


def _form_classes(mod: ModuleInfo, class_bases: dict[str, list[str]]) -> frozenset[str]:
    """Classes deriving (within the module) from flask_wtf.FlaskForm or wtforms.Form."""
    roots = {
        local
        for local, qn in mod.aliases.items()
        if qn in {"flask_wtf.FlaskForm", "flask_wtf.Form", "wtforms.Form", "wtforms.form.Form"}
    }
    roots |= (
        {"FlaskForm"}
        if {"flask_wtf", "wtforms"} & {qn.split(".")[0] for qn in mod.aliases.values()}
        else set()
    )
    forms: set[str] = set()
    changed = True
    while changed:
        changed = False
        for cls, bases in class_bases.items():
            if cls not in forms and any(b in roots or b in forms for b in bases):
                forms.add(cls)
                changed = True
    return frozenset(forms)


def _is_response_hook(dec: ast.expr) -> bool:
    """``@app.errorhandler(404)``, ``@bp.before_request``."""
    target = dec.func if isinstance(dec, ast.Call) else dec
    return isinstance(target, ast.Attribute) and target.attr in RESPONSE_HOOKS


def _flask_url_rules(mod: ModuleInfo, class_bases: dict[str, list[str]]) -> None:
    """Views registered with ``app.add_url_rule(rule, view_func=...)`` (a function or a
    ``View.as_view(...)`` class), and the request methods of flask.views classes."""
    for fi in mod.functions.values():
        cls = fi.class_name
        if (
            cls is not None
            and fi.node.name in VIEW_METHODS
            and (VIEW_BASES & set(class_bases.get(cls, [])))
        ):
            fi.flask_view = True
    for node in ast.walk(mod.tree):
        if not (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "add_url_rule"
        ):
            continue
        pattern = None
        if node.args and isinstance(node.args[0], ast.Constant):
            pattern = str(node.args[0].value)
        view: ast.expr | None = node.args[2] if len(node.args) > 2 else None
        for kw in node.keywords:
            if kw.arg == "rule" and isinstance(kw.value, ast.Constant):
                pattern = str(kw.value.value)
            elif kw.arg == "view_func":
                view = kw.value
        names = {
            name
            for conv, name in FLASK_CONVERTER.findall(pattern or "")
            if (conv or "string") not in SAFE_CONVERTERS
        }
        targets: list[FunctionInfo] = []
        if isinstance(view, ast.Name) and view.id in mod.functions:
            targets.append(mod.functions[view.id])
        elif (
            isinstance(view, ast.Call)
            and isinstance(view.func, ast.Attribute)
            and view.func.attr == "as_view"
            and isinstance(view.func.value, ast.Name)
        ):
            cls = view.func.value.id
            targets.extend(
                f
                for f in mod.functions.values()
                if f.class_name == cls and f.node.name in VIEW_METHODS
            )
        for f in targets:
            f.flask_view = True
            f.tainted_params = f.tainted_params | (names & set(f.params))


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
    if "flask" in mod.frameworks and any(_is_response_hook(d) for d in node.decorator_list):
        fi.flask_view = True
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
    class_bases: dict[str, list[str]] = {}

    # Depth first, in source order (an explicit stack: a recursive closure would refer to
    # itself and to ``mod``, a cycle keeping the module and its tree alive until a full
    # garbage collection). Functions under `if`/`try`/`with` are still module functions.
    stack: list[tuple[Iterator[ast.stmt], str, str | None]] = [(iter(tree.body), "", None)]
    while stack:
        body, prefix, class_name = stack[-1]
        stmt = next(body, None)
        if stmt is None:
            stack.pop()
        elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
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
            stack.append((iter(stmt.body), f"{local}.", None))
        elif isinstance(stmt, ast.ClassDef):
            local = f"{prefix}{stmt.name}"
            classes.add(local)
            class_bases[local] = [_annotation_name(b) for b in stmt.bases]
            stack.append((iter(stmt.body), f"{local}.", local))
        elif isinstance(stmt, (ast.If, ast.Try, ast.With)):
            inner = [getattr(stmt, sub, []) or [] for sub in ("body", "orelse", "finalbody")]
            inner.extend(h.body for h in getattr(stmt, "handlers", []) or [])
            stack.append((itertools.chain.from_iterable(inner), prefix, class_name))
    mod.classes = frozenset(classes)
    mod.class_bases = {k: tuple(v) for k, v in class_bases.items()}
    if "flask" in mod.frameworks:
        _flask_url_rules(mod, class_bases)
    mod.form_classes = _form_classes(mod, class_bases)
    return mod


# Decorators that leave a function callable as it is (others register it with a framework,
# which then decides the arguments: views, CLI commands, tasks, fixtures).
_PLAIN_DECORATORS = frozenset({"staticmethod", "classmethod", "cache", "lru_cache", "wraps"})
# Settings handed over by the program that embeds the library (an app factory's ``config``),
# not strings its users write.
_SETTINGS_PARAMS = frozenset(
    {"config", "conf", "cfg", "settings", "options", "opts", "app", "logger", "log"}
)
# Annotations under which a caller can pass text (or a file of it); any other annotation (int,
# UUID, dict, a project class) shows a value that is not a string an attacker writes.
_TEXT_ANNOTATIONS = frozenset(
    {
        "str", "bytes", "bytearray", "memoryview", "Text", "AnyStr", "LiteralString", "Any",
        "object", "Path", "PurePath", "PurePosixPath", "PathLike", "StrPath", "StrOrBytesPath",
        "IO", "BinaryIO", "TextIO", "socket", "SocketType",
    }
)  # fmt: skip
_OPTIONAL = frozenset({"Optional", "Annotated", "Union"})
_SEQUENCES = frozenset(
    {"list", "List", "tuple", "Tuple", "Sequence", "Iterable", "Iterator", "set", "frozenset"}
)


def _text_annotation(node: ast.expr | None, depth: int = 0) -> bool:
    """No annotation, or one under which a caller can pass text (``str``, ``bytes | None``,
    ``Optional[str]``, ``list[str]``, ``Path``)."""
    if node is None or depth > 4:
        return node is None
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        try:
            node = ast.parse(node.value, mode="eval").body
        except SyntaxError:
            return False
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        sides = [node.left, node.right]
        kept = [x for x in sides if not (isinstance(x, ast.Constant) and x.value is None)]
        return any(_text_annotation(x, depth + 1) for x in kept)
    if isinstance(node, ast.Subscript):
        outer = _annotation_name(node.value)
        inner = node.slice
        elts = inner.elts if isinstance(inner, ast.Tuple) else [inner]
        if outer in _OPTIONAL or outer in _SEQUENCES:
            if outer == "Annotated":
                elts = elts[:1]
            return any(_text_annotation(x, depth + 1) for x in elts)
        return outer in _TEXT_ANNOTATIONS  # IO[str], PathLike[str]
    return _annotation_name(node) in _TEXT_ANNOTATIONS


# Bases whose methods nobody but the project's callers calls.
_PLAIN_BASES = frozenset({"object", "ABC", "Generic", "Protocol"})


def entry_point_params(fi: FunctionInfo) -> tuple[int, ...]:
    """Indexes (into ``fi.params``, those without a default first) of the parameters through
    which a caller of ``fi`` as a
    public library function passes data: ``fi`` is a module-level function or a method of a
    module-level class, neither name underscore-prefixed, not a view, not registered with a
    framework by a decorator, in a class without framework bases (their methods are callbacks
    whose arguments the framework chooses); ``self``/``cls`` and parameters whose annotation or
    default shows a non-string type (int, bool, UUID...) are left out. Whether anything in the
    project calls ``fi`` is decided by the caller (see :func:`referenced_names`)."""
    node = fi.node
    parts = fi.local_name.split(".")
    if len(parts) > 2 or any(p.startswith("_") for p in parts):
        return ()
    if len(parts) == 2:
        cls = parts[0]
        if fi.class_name != cls:
            return ()
        bases = fi.module.class_bases.get(cls, ())
        if any(b not in _PLAIN_BASES and b not in fi.module.classes for b in bases):
            return ()
    if fi.flask_view or fi.tainted_params or fi.request_params:
        return ()
    decorators = {
        _annotation_name(d.func if isinstance(d, ast.Call) else d) for d in node.decorator_list
    }
    if not decorators <= _PLAIN_DECORATORS:
        return ()
    args = node.args
    positional = [*args.posonlyargs, *args.args]
    defaults: dict[str, ast.expr] = {}
    for pa, pd in zip(
        positional[len(positional) - len(args.defaults) :], args.defaults, strict=True
    ):
        defaults[pa.arg] = pd
    for ka, kd in zip(args.kwonlyargs, args.kw_defaults, strict=True):
        if kd is not None:
            defaults[ka.arg] = kd
    skip_first = len(parts) == 2 and "staticmethod" not in decorators
    out: list[int] = []
    positional_or_kw = (*positional, *args.kwonlyargs)
    for i, a in enumerate(positional_or_kw):
        if i == 0 and skip_first:
            continue
        if a.arg in _SETTINGS_PARAMS or not _text_annotation(a.annotation):
            continue
        d = defaults.get(a.arg)
        if (
            isinstance(d, ast.Constant)
            and isinstance(d.value, (int, float, complex))  # bool is an int
        ):
            continue
        out.append(i)
    # Parameters without a default first: they name the finding when two reach one sink.
    return tuple(sorted(out, key=lambda i: positional_or_kw[i].arg in defaults))


def referenced_names(
    tree: ast.Module, library_modules: frozenset[str] = frozenset()
) -> frozenset[str]:
    """Every name a module reads (``f``, ``obj.f``): a function whose name is among the
    references of some file of the project is called (or handed to something that calls it)
    by the project, so its parameters are not entry points. By name only, which over-counts
    calls (``x.save()`` counts for every ``save``): fewer entry points, not false ones.

    The one exception: an attribute of a module the file imports whose top-level package is
    in ``library_modules`` (the standard library and the libraries the models describe), as
    in ``yaml.load(...)``, is that library's function, not the project's ``load``."""
    libraries: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.name.split(".")[0] in library_modules:
                    libraries.add(a.asname or a.name.split(".")[0])
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            out.add(node.id)
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load):
            if not (isinstance(node.value, ast.Name) and node.value.id in libraries):
                out.add(node.attr)
        elif isinstance(node, ast.ImportFrom):
            # ``from m import f as g``: the calls say g. A plain ``from m import f`` (a package
            # re-exporting its API) is not a use.
            out.update(a.name for a in node.names if a.asname and a.asname != a.name)
    return frozenset(out)


def resolve_name(mod: ModuleInfo, name: str) -> str | None:
    """The fully qualified name a module-level name refers to, if known."""
    if name in mod.aliases:
        return mod.aliases[name]
    if name in mod.functions or name in mod.classes:
        return f"{mod.name}.{name}" if mod.name else name
    if name in _BUILTINS:
        return f"builtins.{name}"
    return None
