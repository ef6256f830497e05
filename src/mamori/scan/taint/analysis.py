"""The dataflow analysis: one abstract interpretation per function, summaries across calls.

Each function is analysed once, flow-sensitively over its statements (strong updates on
assignment, branches joined, loops run twice, dead branches of constant conditions skipped),
with every parameter bound to a symbolic ``param`` label. What reaches the return value and
which parameters reach which sinks become the function's :class:`Summary`; a call site applies
the callee's summary to its actual arguments, so flows through helpers in the same module or in
other modules of the repository are found without re-analysing the callee.

Values are tracked per *access path* (``x``, ``x.attr``, ``x["key"]``, ``x[0]``), which gives
element precision for containers with constant keys and for object attributes.

Module-level state is the exception to "once per function": what the functions of a module
store in its own globals (``COMMENTS.append(text)`` in one view, ``COMMENTS`` rendered by
another) is collected flow-insensitively, to a fixpoint, into the module's environment before
its functions are summarised (``Project._global_writes``).
"""

from __future__ import annotations

import ast
import functools
import re
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from mamori.domain import Confidence, FlowStep
from mamori.scan.taint import context
from mamori.scan.taint.labels import (
    ALL,
    CLEAN,
    UNTRUSTED,
    Label,
    Origin,
    Taint,
    approximate,
    canonical,
    cleanse,
    has_fact,
    label_order,
    step,
    union,
    with_step,
)
from mamori.scan.taint.models import Models, SinkModel
from mamori.scan.taint.module import (
    LITERAL_SITES,
    NOT_CONST,
    FunctionInfo,
    ModuleInfo,
    entry_point_params,
    literal_value,
    module_name,
    resolve_name,
)

Env = dict[str, Taint]

WEAK_HASHES = frozenset({"md5", "sha1", "md4", "md2", "sha"})
FAST_HASHES = WEAK_HASHES | frozenset(
    {
        "sha224",
        "sha256",
        "sha384",
        "sha512",
        "sha3_224",
        "sha3_256",
        "sha3_384",
        "sha3_512",
        "blake2b",
        "blake2s",
        "sha512_224",
        "sha512_256",
    }
)
RANDOM_FUNCS = frozenset(
    {
        "random",
        "randint",
        "randrange",
        "choice",
        "choices",
        "sample",
        "getrandbits",
        "uniform",
        "randbytes",
        "triangular",
        "gauss",
    }
)
# Methods that move data from receiver and arguments to the result as a matter of course;
# a flow through them is not a guess.
KNOWN_STR_METHODS = frozenset(
    {
        "strip",
        "lstrip",
        "rstrip",
        "lower",
        "upper",
        "casefold",
        "title",
        "capitalize",
        "replace",
        "split",
        "rsplit",
        "splitlines",
        "partition",
        "rpartition",
        "format",
        "format_map",
        "join",
        "encode",
        "decode",
        "read",
        "readline",
        "readlines",
        "getvalue",
        "removeprefix",
        "removesuffix",
        "zfill",
        "ljust",
        "rjust",
        "center",
        "expandtabs",
        "swapcase",
        "translate",
        "to_dict",
        "dict",
        "get_json",
        "get_data",
        "json",
        "getlist",
        "body",
    }
)
TERMINATING_CALLS = frozenset(
    {
        "flask.abort",
        "werkzeug.exceptions.abort",
        "sys.exit",
        "os._exit",
        "builtins.exit",
        "builtins.quit",
        "django.http.Http404",
        "fastapi.HTTPException",
    }
)
# Characters an injection into each kind of sink needs (at least one of them).
DANGEROUS_CHARS: dict[str, str] = {
    "sql-injection": "'\"\\; -/*=",
    "command-injection": ";|&$`<>\n'\"\\(){}",
    "code-injection": "()'\"[].;\n",
    "xss": "<>\"'&",
    "path-traversal": "/\\",
    "ldap-injection": "*()\\\x00=&|!",
    "xpath-injection": "'\"[]/()=@",
    "open-redirect": "/\\:",
    "ssrf": "/\\:@",
}
COOKIE_FLAG_SETTINGS = frozenset(
    {
        "SESSION_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "REMEMBER_COOKIE_SECURE",
        "REMEMBER_COOKIE_HTTPONLY",
        "CSRF_COOKIE_SECURE",
        "CSRF_COOKIE_HTTPONLY",
    }
)
PATH_SEPARATOR_CHECKS = frozenset({"..", "../", "/", "..\\"})
URL_PARSERS = frozenset(
    {
        "urllib.parse.urlparse",
        "urllib.parse.urlsplit",
        "urlparse.urlparse",
        "urlparse.urlsplit",
        "werkzeug.urls.url_parse",
        "werkzeug.urls.urlsplit",
    }
)
FLASK_G = frozenset({"flask.g", "flask.globals.g"})
# Programs that run their "-c" argument as a shell command line.
SHELL_PROGRAM = re.compile(
    r"(^|[/\\])(sh|bash|zsh|dash|ksh|ash|csh|tcsh|fish|cmd(\.exe)?|powershell(\.exe)?|pwsh)$",
    re.IGNORECASE,
)
HOST_FIXED = re.compile(r"^(/[^/\\]|/$|https?://[^/]+/)")
# Value kinds, for method sinks whose names collide (Path.replace vs str.replace).
PATH_KIND = "path"
STR_KIND = "str"
PATH_CONSTRUCTORS = frozenset(
    {
        "pathlib.Path",
        "pathlib.PurePath",
        "pathlib.PosixPath",
        "pathlib.WindowsPath",
        "pathlib.PurePosixPath",
        "pathlib.PureWindowsPath",
        "pathlib.Path.home",
        "pathlib.Path.cwd",
        "zipfile.Path",
    }
)
# pathlib methods and attributes that give another path.
PATH_METHODS = frozenset(
    {
        "joinpath",
        "with_name",
        "with_suffix",
        "with_stem",
        "resolve",
        "absolute",
        "expanduser",
        "relative_to",
        "readlink",
        "rename",
        "replace",
    }
)
PATH_ATTRS = frozenset({"parent"})
PATH_ITERATORS = frozenset({"iterdir", "glob", "rglob"})
STR_CALLS = frozenset(
    {
        "builtins.str",
        "builtins.repr",
        "builtins.format",
        "builtins.input",
        "os.fspath",
        "os.getenv",
        "os.path.join",
        "os.path.basename",
        "os.path.dirname",
        "os.path.abspath",
        "os.path.realpath",
        "os.path.normpath",
        "urllib.parse.quote",
        "urllib.parse.unquote",
        "urllib.parse.urljoin",
    }
)
PATH_ANNOTATION = re.compile(r"\b(Path|PurePath|PosixPath|WindowsPath|PurePosixPath|PathLike)\b")
STR_ANNOTATION = re.compile(r"^(Optional\[)?(str|bytes|object|Any|typing\.Any)(\])?( \| None)?$")
# Name-based fallback for guards the engine cannot see into (a helper imported from a library
# outside the scan): used only when the callee is not a function of the project.
REDIRECT_GUARD_NAME = re.compile(
    r"^_*(is_)?(safe|allowed|valid|local)_(redirect|url|next|target|return)(_url|_target)?$"
    r"|^_*url_is_(safe|local|allowed)$|^_*url_has_allowed_host(_and_scheme)?$",
    re.IGNORECASE,
)
# Rules a user-defined guard helper can establish from its summary.
DERIVABLE_GUARD_RULES = frozenset({"open-redirect", "ssrf", "path-traversal"})
NORMALISERS = frozenset({"os.path.realpath", "os.path.abspath", "os.path.normpath"})
XSS_RULE = "xss"
# Calls whose result is a container a module keeps as state (see _module_state).
STATE_CALLS = frozenset(
    {
        "builtins.dict",
        "builtins.list",
        "builtins.set",
        "builtins.bytearray",
        "collections.defaultdict",
        "collections.OrderedDict",
        "collections.deque",
        "collections.Counter",
        "collections.ChainMap",
        "types.SimpleNamespace",
        "weakref.WeakValueDictionary",
        "threading.local",
    }
)
STATE_LITERALS = (
    ast.List,
    ast.Dict,
    ast.Set,
    ast.Tuple,
    ast.Constant,
    ast.ListComp,
    ast.DictComp,
    ast.SetComp,
)
# Rounds of the analysis of a module's functions for what they store in its module-level
# state (see Project._global_writes): a store that depends on another store needs a second.
GLOBAL_ROUNDS = 4
# Sink kinds an entry-point parameter (an argument of an uncalled public function) is reported
# for: injections, where the caller's string is the attack. Not trust-boundary (501) or the
# context rules: their "source" is not a string an attacker writes.
ENTRY_POINT_CWES = frozenset({22, 78, 79, 89, 90, 94, 95, 502, 601, 611, 643, 918})
# A parameter named for a whole path or URL: the caller chooses the file or the URL by design
# (``def checksum(path)``, ``def fetch(url)``), so it reaching open() or requests.get() is the
# function's purpose, not a traversal or an SSRF. A name or title joined to a base is.
WHOLE_LOCATION_PARAM = re.compile(
    r"^(path|paths|file|files|filename|fname|fp|dir|dirname|directory|folder|root|base|src|dst"
    r"|source|dest|destination|target|url|urls|uri|link|href|endpoint|address|location|host)$"
    r"|_(path|file|filename|dir|directory|folder|root|url|uri|endpoint)$",
    re.IGNORECASE,
)
LOCATION_CWES = frozenset({22, 918})
# Literal text that makes a returned string HTML (``"<p>" + name + "</p>"``).
HTML_TEXT = re.compile(r"<\s*/?\s*[a-zA-Z][a-zA-Z0-9]*[\s>/]")


@dataclass(frozen=True, slots=True, kw_only=True)
class Hit:
    """A finding before it becomes a RawFinding: where, which rule, and the flow."""

    rule: str
    cwe: int
    path: str
    line: int
    end_line: int
    message: str
    flow: tuple[FlowStep, ...]
    confidence: Confidence


@dataclass(frozen=True, slots=True, kw_only=True)
class ParamSink:
    param: int
    rule: str
    cwe: int
    path: str
    line: int
    end_line: int
    sink: str
    steps: tuple[FlowStep, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class GlobalStore:
    """A function stores its parameter ``param`` at ``path``, module-level state of its own
    module, cleansed for ``cleansed``; ``line`` is where (a flow step, not part of what the
    store means: cache fingerprints leave line fields out, as for ``ParamSink``)."""

    param: int
    path: str
    line: int
    cleansed: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Summary:
    returns: Taint
    param_sinks: tuple[ParamSink, ...] = ()
    # (parameter index, rules): the function returns true only when that parameter (or a
    # value derived from it) passed a check that validates it for those rules.
    guards: tuple[tuple[int, frozenset[str]], ...] = ()
    # Parameters the function returns inside HTML it builds (``return "<p>" + name``): an XSS
    # when the function is an entry point. Not a sink for callers, which decide what the
    # string becomes (a view's response is checked where the view returns it).
    html_returns: tuple[ParamSink, ...] = ()
    # The function stores a parameter in module-level state of its own module
    # (``COMMENTS.append(text)``); a call from the same module stores the argument there
    # (see ``Project._global_writes``).
    global_stores: tuple[GlobalStore, ...] = ()
    # (parameter index, rules the stored value was cleansed for): a method stores that
    # parameter into its object (``self.items.append(text)``); a call on a module-level
    # instance stores the argument in module-level state.
    self_stores: tuple[tuple[int, tuple[str, ...]], ...] = ()


def _path_of(node: ast.expr) -> str | None:
    """Access path of an expression: ``x``, ``x.a``, ``x[k]`` (constant k), else None."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = _path_of(node.value)
        return f"{base}.{node.attr}" if base else None
    if isinstance(node, ast.Subscript):
        base = _path_of(node.value)
        key = node.slice
        if base and isinstance(key, ast.Constant) and isinstance(key.value, (str, int)):
            return f"{base}[{key.value!r}]"
        return None
    return None


def _prefixes(path: str) -> Iterator[str]:
    """Strict prefixes of an access path, longest first."""
    i = len(path)
    while i > 0:
        i = max(path.rfind(".", 0, i), path.rfind("[", 0, i))
        if i <= 0:
            return
        yield path[:i]


def _subpaths(env: Mapping[str, Taint], path: str) -> Taint:
    dot, br = path + ".", path + "["
    found = [t for k, t in env.items() if k.startswith(dot) or k.startswith(br)]
    return union(*found) if found else CLEAN


def _const_prefix(node: ast.expr, const: Callable[[ast.expr], object] | None = None) -> str | None:
    """The constant text a string expression starts with, if any (``const`` gives the value
    of a name bound to a constant)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Name) and const is not None:
        v = const(node)
        return v if isinstance(v, str) else None
    if isinstance(node, ast.JoinedStr) and node.values:
        first = node.values[0]
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            return first.value
        if isinstance(first, ast.FormattedValue) and first.format_spec is None:
            return _const_prefix(first.value, const)
        return None
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _const_prefix(node.left, const)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
        # A template: only the text before the first placeholder is fixed.
        left = _const_prefix(node.left, const)
        return None if left is None else left.split("%", 1)[0]
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "format"
    ):
        left = _const_prefix(node.func.value, const)
        return None if left is None else left.split("{", 1)[0]
    return None


def _bool_like(node: ast.expr) -> bool:
    """True for an expression whose value is a yes/no answer."""
    if isinstance(node, ast.Constant):
        return node.value is None or isinstance(node.value, bool)
    if isinstance(node, (ast.Compare, ast.Call)):
        return True
    if isinstance(node, ast.UnaryOp):
        return isinstance(node.op, ast.Not)
    if isinstance(node, ast.BoolOp):
        return all(_bool_like(v) for v in node.values)
    return False


def _short(node: ast.AST, limit: int = 60) -> str:
    try:
        text = ast.unparse(node)
    except (ValueError, AttributeError, RecursionError):
        return type(node).__name__
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


class FunctionAnalyser:
    """Analyses one function (or a module body) and produces its summary and hits."""

    def __init__(
        self,
        project: Project,
        module: ModuleInfo,
        func: FunctionInfo | None,
        globals_env: Mapping[str, Taint],
    ) -> None:
        self.project = project
        self.models: Models = project.models
        self.module = module
        self.func = func
        self.path = module.path
        self.globals_env = globals_env
        self.returns: Taint = CLEAN
        self.param_sinks: list[ParamSink] = []
        self.html_returns: list[ParamSink] = []
        self.locals: set[str] = set()
        self.local_consts: dict[str, object] = {}
        self.parsed_urls: dict[str, str] = {}  # var -> path of the URL it parsed
        self.var_class: dict[str, FunctionInfo] = {}  # var -> __init__ of its project class
        self.value_kinds: dict[str, str] = {}  # var -> PATH_KIND / STR_KIND when known
        self.json_vars: set[str] = set()  # vars last bound to a dict or list
        # var -> the expressions it was built from (for the literal text of a query string)
        self.fragment_nodes: dict[str, list[ast.expr]] = {}
        # (param, rule) pairs some refinement validated a param-derived value for, and the
        # per-return results used to derive the function's guard summary.
        self.refined_params: set[tuple[int, str]] = set()
        self.truthy_returns: list[frozenset[tuple[int, str]]] = []
        self.request_params = func.request_params if func else frozenset()
        self.request_attrs = frozenset(a for rp in self.models.request_params for a in rp.attrs)
        self.name = func.node.name if func else ""
        # Names the function declares ``global`` (rebinding them writes module state).
        self.declared_globals: set[str] = set()
        # (parameter, module-level path, rules it was cleansed for) -> line of the store
        self.global_stores: dict[tuple[int, str, frozenset[str]], int] = {}
        self.self_stores: set[tuple[int, frozenset[str]]] = set()

    # ---------------------------------------------------------------- entry points

    def run_function(self) -> Summary:
        assert self.func is not None
        fi = self.func
        node = fi.node
        self._collect_locals(self.module.scope_nodes[id(node)], params=fi.params)
        env: Env = {}
        first_line = node.lineno
        for i, p in enumerate(fi.params):
            t: Taint = frozenset({Label(Origin("param", p, self.path, first_line, param=i))})
            if p in fi.tainted_params:
                desc = f"route parameter {p!r}"
                t = t | frozenset({self._source_label("web", desc, first_line)})
            env[p] = t
        if fi.vararg:
            env[fi.vararg] = frozenset(
                {
                    Label(
                        Origin(
                            "param", "*" + fi.vararg, self.path, first_line, param=len(fi.params)
                        )
                    )
                }
            )
        if fi.kwarg:
            env[fi.kwarg] = frozenset(
                {
                    Label(
                        Origin(
                            "param",
                            "**" + fi.kwarg,
                            self.path,
                            first_line,
                            param=len(fi.params) + 1,
                        )
                    )
                }
            )
        self._annotated_kinds(fi)
        self._annotated_facts(fi, env)
        self.exec_block(node.body, env)
        return Summary(
            returns=self.returns,
            param_sinks=tuple(self.param_sinks),
            guards=self._guards(),
            html_returns=tuple(self.html_returns),
            self_stores=tuple(sorted((p, tuple(sorted(c))) for p, c in self.self_stores)),
            global_stores=tuple(
                GlobalStore(param=p, path=g, line=line, cleansed=c)
                for p, g, line, c in sorted(
                    (p, g, line, tuple(sorted(c))) for (p, g, c), line in self.global_stores.items()
                )
            ),
        )

    def _annotated_kinds(self, fi: FunctionInfo) -> None:
        a = fi.node.args
        for arg in (*a.posonlyargs, *a.args, *a.kwonlyargs):
            kind = self._annotation_kind(arg.annotation)
            if kind is not None:
                self.value_kinds[arg.arg] = kind

    def _annotated_facts(self, fi: FunctionInfo, env: Env) -> None:
        """A parameter annotated with a class whose instances always carry a fact
        (``conn: ldap3.Connection``, ``http: requests.Session``) carries it too."""
        a = fi.node.args
        for arg in (*a.posonlyargs, *a.args, *a.kwonlyargs):
            ann = arg.annotation
            while True:
                if isinstance(ann, ast.Subscript):  # Optional[X], Annotated[X, ...]
                    inner = ann.slice
                    ann = inner.elts[0] if isinstance(inner, ast.Tuple) and inner.elts else inner
                elif isinstance(ann, ast.BinOp) and isinstance(ann.op, ast.BitOr):  # X | None
                    ann = ann.left
                else:
                    break
            if not isinstance(ann, (ast.Name, ast.Attribute)):
                continue
            qn = self._qualname(ann)
            fact = self.models.facts_by_callee.get(qn) if qn else None
            if fact is None or fact.when_true or fact.when_false or fact.arg0 or fact.on_receiver:
                continue
            label = Label(Origin("fact", fact.fact, self.path, fi.node.lineno))
            env[arg.arg] = union(env.get(arg.arg, CLEAN), frozenset({label}))

    @staticmethod
    def _annotation_kind(ann: ast.expr | None) -> str | None:
        if ann is None:
            return None
        text = ann.value if isinstance(ann, ast.Constant) and isinstance(ann.value, str) else None
        if text is None:
            text = _short(ann, 200)
        if PATH_ANNOTATION.search(text):
            return PATH_KIND
        if STR_ANNOTATION.match(text.strip()):
            return STR_KIND
        return None

    def _guards(self) -> tuple[tuple[int, frozenset[str]], ...]:
        """Parameters validated on every path that returns a possibly true value."""
        if not self.truthy_returns:
            return ()
        common = frozenset.intersection(*self.truthy_returns) & self.refined_params
        by_param: dict[int, set[str]] = {}
        for param, rule in common:
            by_param.setdefault(param, set()).add(rule)
        return tuple(sorted((p, frozenset(r)) for p, r in by_param.items()))

    def run_module(self) -> Env:
        self._collect_locals(self.module.scope_nodes[0], params=())
        body = [
            s
            for s in self.module.tree.body
            if not isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
        ]
        env = self.exec_block(body, {})
        self._cookie_settings()
        self.project.state.module_kinds[self.path] = dict(self.value_kinds)
        self.project.state.module_classes[self.path] = dict(self.var_class)
        return env if env is not None else {}

    # ---------------------------------------------------------------- helpers

    def _collect_locals(self, nodes: Sequence[ast.AST], params: Sequence[str]) -> None:
        """``nodes``: the binding-related nodes of the scope body (ModuleInfo.scope_nodes)."""
        self.locals.update(params)
        counts: dict[str, int] = {}
        values: dict[str, object] = {}
        for node in nodes:
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                self.locals.add(node.id)
                counts[node.id] = counts.get(node.id, 0) + 1
            elif (
                isinstance(node, ast.Assign)
                and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name)
            ):
                v = literal_value(node.value)
                if v is not NOT_CONST:
                    values[node.targets[0].id] = v
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                for a in node.names:
                    self.locals.discard((a.asname or a.name).split(".")[0])
            elif isinstance(node, ast.Global) and self.func is not None:
                self.declared_globals.update(node.names)
        self.locals -= self.declared_globals
        self.local_consts = {k: v for k, v in values.items() if counts.get(k) == 1}
        # Imports inside the function are resolved through the module's alias table.
        self.locals -= set(self.module.aliases) - set(params)

    def _source_label(
        self, category: str, desc: str, line: int, exclude: frozenset[str] = frozenset()
    ) -> Label:
        origin = Origin(category, desc, self.path, line, exclude_rules=exclude)
        return Label(origin, frozenset(), (step(self.path, line, f"source: {desc}"),))

    def _name_value(self, node: ast.Name) -> object:
        if node.id in self.local_consts:
            return self.local_consts[node.id]
        if node.id not in self.locals and node.id in self.module.constants:
            return self.module.constants[node.id]
        return NOT_CONST

    def _const(self, node: ast.expr) -> object:
        """Constant value of an expression (literals, constant names, not/and/or/==)."""
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.Name):
            v = self._name_value(node)
            # `parts = []` is bound once but filled by parts.append(...): a mutable container
            # is not a constant (its truth and contents change); its literal is only the
            # allow-list it was written as (see _const_collection).
            return NOT_CONST if isinstance(v, (list, dict, set)) else v
        if isinstance(node, ast.Attribute) and node.attr == "TYPE_CHECKING":
            return False
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            v = self._const(node.operand)
            return NOT_CONST if v is NOT_CONST else not v
        if isinstance(node, ast.BoolOp):
            vals = [self._const(v) for v in node.values]
            if isinstance(node.op, ast.And):
                if any(v is not NOT_CONST and not v for v in vals):
                    return False
                if all(v is not NOT_CONST for v in vals):
                    return all(vals)
            else:
                if any(v is not NOT_CONST and v for v in vals):
                    return True
                if all(v is not NOT_CONST for v in vals):
                    return any(vals)
            return NOT_CONST
        if isinstance(node, ast.Compare) and len(node.ops) == 1:
            a, b = self._const(node.left), self._const(node.comparators[0])
            if a is NOT_CONST or b is NOT_CONST:
                return NOT_CONST
            op = node.ops[0]
            try:
                if isinstance(op, ast.Eq):
                    return a == b
                if isinstance(op, ast.NotEq):
                    return a != b
                if isinstance(op, ast.Is):
                    return a is b
                if isinstance(op, ast.IsNot):
                    return a is not b
            except TypeError:
                return NOT_CONST
        return NOT_CONST

    def _server_collection(self, node: ast.expr, env: Env) -> bool:
        """A collection built by the server from data no request touched (``os.listdir(BASE)``,
        the keys of a registry dict): a value found in it is one of its elements. Strings are
        excluded (``x in s`` is a substring test)."""
        if isinstance(node, (ast.Constant, ast.JoinedStr)) or self.value_kind(node) == STR_KIND:
            return False
        if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            return not any(lb.origin.category in UNTRUSTED for lb in self.eval(node, env))
        if not isinstance(node, (ast.Name, ast.Attribute, ast.Call, ast.Subscript)):
            return False
        return not any(lb.origin.category in UNTRUSTED for lb in self.eval(node, env))

    def _const_collection(self, node: ast.expr) -> bool:
        v = self._name_value(node) if isinstance(node, ast.Name) else literal_value(node)
        if (
            isinstance(node, ast.Name)
            and node.id not in self.locals
            and any(lb.origin.category in UNTRUSTED for lb in self.globals_env.get(node.id, ()))
        ):
            return False  # a module-level list that functions fill with request data
        return isinstance(v, (list, tuple, set, frozenset, dict))

    def _qualname(self, node: ast.expr) -> str | None:
        """Fully qualified name of a Name/Attribute chain rooted at an import or builtin."""
        return _static_qualname(self.module, node, self.locals)

    # ---------------------------------------------------------------- value kinds

    def value_kind(self, node: ast.expr) -> str | None:
        """PATH_KIND when ``node`` is known (or plausibly) a pathlib path, STR_KIND when it is
        known to be a str/bytes value, None when the engine cannot tell."""
        if isinstance(node, ast.Constant):
            return STR_KIND if isinstance(node.value, (str, bytes)) else None
        if isinstance(node, ast.JoinedStr):
            return STR_KIND
        if isinstance(node, ast.Name):
            if node.id in self.value_kinds:
                return self.value_kinds[node.id]
            if node.id not in self.locals:
                return self.project.state.module_kinds.get(self.path, {}).get(node.id)
            return None
        if isinstance(node, ast.BinOp):
            if isinstance(node.op, ast.Div):
                # str / str is a TypeError: a division that yields something with .replace()
                # or .unlink() is a path join.
                return PATH_KIND
            if isinstance(node.op, (ast.Add, ast.Mod)):
                sides = {self.value_kind(node.left), self.value_kind(node.right)}
                return STR_KIND if STR_KIND in sides else None
            return None
        if isinstance(node, ast.Attribute):
            if self._attr_source(node) is not None:
                return STR_KIND
            if node.attr in PATH_ATTRS and self.value_kind(node.value) == PATH_KIND:
                return PATH_KIND
            if node.attr in {"name", "stem", "suffix", "as_posix"} and (
                self.value_kind(node.value) == PATH_KIND
            ):
                return STR_KIND
            return None
        if isinstance(node, ast.Subscript):
            base = node.value
            if isinstance(base, ast.Attribute) and self._attr_source(base) is not None:
                return STR_KIND  # request.args["x"], os.environ["X"]
            return None
        if isinstance(node, ast.Call):
            return self._call_kind(node)
        return None

    def _call_kind(self, node: ast.Call) -> str | None:
        func = node.func
        qn = self._qualname(func)
        if qn in PATH_CONSTRUCTORS:
            return PATH_KIND
        if qn in STR_CALLS or (qn is not None and qn in self.models.source_calls):
            return STR_KIND
        if not isinstance(func, ast.Attribute):
            return None
        recv_kind = self.value_kind(func.value)
        if recv_kind == PATH_KIND:
            if func.attr in PATH_METHODS:
                return PATH_KIND
            if func.attr in {"read_text", "as_posix", "as_uri"}:
                return STR_KIND
            return None
        if (
            isinstance(func.value, ast.Attribute)
            and self._attr_source(func.value) is not None
            and func.attr in {"get", "pop"}
        ):
            return STR_KIND  # request.args.get("next"), os.environ.get("X")
        if func.attr in KNOWN_STR_METHODS and recv_kind == STR_KIND:
            return STR_KIND
        if func.attr in {"replace", "strip", "lower", "upper", "format", "removeprefix"} and (
            recv_kind == STR_KIND or isinstance(func.value, ast.Constant)
        ):
            return STR_KIND
        return None

    def _iter_kind(self, node: ast.expr) -> str | None:
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in PATH_ITERATORS
            and self.value_kind(node.func.value) == PATH_KIND
        ):
            return PATH_KIND
        return None

    # ---------------------------------------------------------------- environment

    def read(self, env: Mapping[str, Taint], path: str) -> Taint:
        if path in env:
            return union(env[path], _subpaths(env, path))
        sub = _subpaths(env, path)
        if sub:
            return sub
        for prefix in _prefixes(path):
            if prefix in env:
                return env[prefix]
        root = _root_of(path)
        if root in self.locals and root in env:
            return env[root]
        if root not in self.locals:
            return self._read_global(path, root)
        return CLEAN

    def _read_global(self, path: str, root: str) -> Taint:
        g = self.globals_env
        if self.func is not None:
            self.project.read_global(self.path, root)
        if path in g:
            return union(g[path], _subpaths(g, path))
        for prefix in _prefixes(path):
            if prefix in g:
                return g[prefix]
        return g.get(root, CLEAN)

    def _store_global(self, path: str, taint: Taint, line: int, *, checked: bool = False) -> None:
        """The function stores ``taint`` at ``path``. When that is module-level state of this
        module (``COMMENTS.append(x)``, ``CACHE[k] = x``, ``global TOKEN; TOKEN = x``), the
        other functions of the module read it (see ``Project._global_writes``); a parameter
        stored there becomes part of the summary, for callers in the same module."""
        if self.func is None or not taint:
            return
        root = _root_of(path)
        params = self.func.params
        if self.func.class_name is not None and params and root == params[0] != path:
            for lb in taint:
                o = lb.origin
                if o.category == "param" and o.path == self.path and (o.param or 0) > 0:
                    self.self_stores.add((o.param or 0, lb.cleansed))
            return
        if not checked and root not in self.declared_globals and root in self.locals:
            return
        if root not in self.project.state.global_roots.get(self.path, ()):
            return
        kept: list[Label] = []
        for lb in taint:
            if lb.origin.category != "param":
                kept.append(lb)
            elif lb.origin.param is not None and lb.origin.path == self.path:
                self.global_stores.setdefault((lb.origin.param, path, lb.cleansed), line)
        if kept:
            at = step(self.path, line, f"stored in module-level {path}")
            self.project.store_global(self.path, path, with_step(frozenset(kept), at))

    def write(self, env: Env, path: str, taint: Taint) -> None:
        dot, br = path + ".", path + "["
        for k in [k for k in env if k.startswith(dot) or k.startswith(br)]:
            del env[k]
        env[path] = taint

    @staticmethod
    def join(envs: Sequence[Env | None]) -> Env | None:
        live = [e for e in envs if e is not None]
        if not live:
            return None
        if len(live) == 1:
            return dict(live[0])
        keys: dict[str, None] = {}  # a dict, not a set: a stable order (hash seeds vary)
        for e in live:
            keys.update(dict.fromkeys(e))
        out: Env = {}
        for k in keys:
            vals = [e[k] for e in live if k in e]
            out[k] = union(*vals)
        return out

    # ---------------------------------------------------------------- statements

    def exec_block(self, body: Sequence[ast.stmt], env: Env | None) -> Env | None:
        """Run statements; return the environment after them, or None if they never finish."""
        for stmt in body:
            if env is None:
                return None
            env = self.exec_stmt(stmt, env)
        return env

    def exec_stmt(self, stmt: ast.stmt, env: Env) -> Env | None:
        if isinstance(stmt, ast.Assign):
            value = self.eval(stmt.value, env)
            for target in stmt.targets:
                self.assign(target, value, stmt.value, env, stmt.lineno)
            return env
        if isinstance(stmt, ast.AnnAssign):
            if stmt.value is not None:
                value = self.eval(stmt.value, env)
                self.assign(stmt.target, value, stmt.value, env, stmt.lineno)
            if isinstance(stmt.target, ast.Name):
                kind = self._annotation_kind(stmt.annotation)
                if kind is not None:
                    self.value_kinds[stmt.target.id] = kind
            return env
        if isinstance(stmt, ast.AugAssign):
            value = self.eval(stmt.value, env)
            old = (
                self.eval(stmt.target, env)
                if not isinstance(stmt.target, ast.Name)
                else (self.read(env, stmt.target.id))
            )
            before = (
                self.fragment_nodes.get(stmt.target.id, [])
                if isinstance(stmt.target, ast.Name)
                else []
            )
            self.assign(stmt.target, union(old, value), stmt.value, env, stmt.lineno)
            if isinstance(stmt.target, ast.Name):
                self.fragment_nodes[stmt.target.id] = [*before[:8], stmt.value]
            return env
        if isinstance(stmt, ast.Expr):
            self.eval(stmt.value, env)
            if isinstance(stmt.value, ast.Call):
                qn = self._qualname(stmt.value.func)
                if qn in TERMINATING_CALLS:
                    return None
            return env
        if isinstance(stmt, ast.Return):
            if stmt.value is not None:
                self.on_return(stmt.value, env)
            return None
        if isinstance(stmt, ast.Raise):
            if stmt.exc is not None:
                self.eval(stmt.exc, env)
            return None
        if isinstance(stmt, (ast.Break, ast.Continue)):
            return None
        if isinstance(stmt, ast.If):
            return self.exec_if(stmt, env)
        if isinstance(stmt, (ast.For, ast.AsyncFor)):
            return self.exec_for(stmt, env)
        if isinstance(stmt, ast.While):
            return self.exec_while(stmt, env)
        if isinstance(stmt, (ast.With, ast.AsyncWith)):
            for item in stmt.items:
                value = self.eval(item.context_expr, env)
                if item.optional_vars is not None:
                    self.assign(item.optional_vars, value, item.context_expr, env, stmt.lineno)
            return self.exec_block(stmt.body, env)
        if isinstance(stmt, ast.Try) or type(stmt).__name__ == "TryStar":
            return self.exec_try(stmt, env)
        if isinstance(stmt, ast.Match):
            self.eval(stmt.subject, env)
            results: list[Env | None] = [env]
            for case in stmt.cases:
                results.append(self.exec_block(case.body, dict(env)))
            return self.join(results)
        if isinstance(stmt, ast.Delete):
            for t in stmt.targets:
                p = _path_of(t)
                if p is not None:
                    self.write(env, p, CLEAN)
            return env
        if isinstance(stmt, ast.Assert):
            return self.refine(stmt.test, env, truth=True)
        # FunctionDef/ClassDef (analysed on their own), Import, Global, Pass, ...
        return env

    def exec_if(self, stmt: ast.If, env: Env) -> Env | None:
        c = self._const(stmt.test)
        if c is not NOT_CONST:
            # A branch whose condition is constant never runs.
            return self.exec_block(stmt.body if c else stmt.orelse, env)
        self.eval(stmt.test, env)
        env_t = self.refine(stmt.test, dict(env), truth=True)
        env_f = self.refine(stmt.test, dict(env), truth=False)
        r_t = self.exec_block(stmt.body, env_t)
        r_f = self.exec_block(stmt.orelse, env_f)
        return self.join([r_t, r_f])

    def exec_for(self, stmt: ast.For | ast.AsyncFor, env: Env) -> Env | None:
        it = self.eval(stmt.iter, env)
        results: list[Env | None] = [env]
        current: Env | None = env
        iter_kind = self._iter_kind(stmt.iter)
        for _ in range(2):
            run = dict(current) if current is not None else dict(env)
            self.assign(stmt.target, it, None, run, stmt.lineno)
            if iter_kind is not None and isinstance(stmt.target, ast.Name):
                self.value_kinds[stmt.target.id] = iter_kind
            current = self.exec_block(stmt.body, run)
            results.append(current)
            if current is None:
                current = self.join(results)
        after = self.join(results)
        if stmt.orelse:
            return self.exec_block(stmt.orelse, after)
        return after

    def exec_while(self, stmt: ast.While, env: Env) -> Env | None:
        c = self._const(stmt.test)
        if c is not NOT_CONST and not c:
            return self.exec_block(stmt.orelse, env)
        results: list[Env | None] = [env] if c is NOT_CONST else []
        current: Env | None = env
        for _ in range(2):
            run = dict(current) if current is not None else dict(env)
            self.eval(stmt.test, run)
            run = self.refine(stmt.test, run, truth=True)
            current = self.exec_block(stmt.body, run)
            results.append(current)
        after = self.join(results)
        if after is None and c is not NOT_CONST:
            # `while True:` left only through break/return: approximate with the last state.
            after = self.join([env, current])
        return after

    def exec_try(self, stmt: ast.stmt, env: Env) -> Env | None:
        body = getattr(stmt, "body", [])
        r_body = self.exec_block(body, dict(env))
        start = self.join([env, r_body]) or dict(env)
        outs: list[Env | None] = []
        for h in getattr(stmt, "handlers", []):
            h_env = dict(start)
            if h.name:
                self.write(h_env, h.name, CLEAN)
            outs.append(self.exec_block(h.body, h_env))
        orelse = getattr(stmt, "orelse", [])
        outs.append(self.exec_block(orelse, r_body) if r_body is not None else None)
        result = self.join(outs)
        final = getattr(stmt, "finalbody", [])
        if final:
            if result is None:
                self.exec_block(final, dict(start))
                return None
            return self.exec_block(final, result)
        return result

    # ---------------------------------------------------------------- assignment

    def assign(
        self, target: ast.expr, value: Taint, value_node: ast.expr | None, env: Env, line: int
    ) -> None:
        if isinstance(target, (ast.Tuple, ast.List)):
            elts = target.elts
            if (
                isinstance(value_node, (ast.Tuple, ast.List))
                and len(value_node.elts) == len(elts)
                and not any(isinstance(e, ast.Starred) for e in elts)
            ):
                for t, v in zip(elts, value_node.elts, strict=True):
                    self.assign(t, self.eval(v, env), v, env, line)
                return
            src = _path_of(value_node) if value_node is not None else None
            for i, t in enumerate(elts):
                if isinstance(t, ast.Starred):
                    self.assign(t.value, value, None, env, line)
                elif src is not None:
                    self.assign(t, self.read(env, f"{src}[{i!r}]"), None, env, line)
                else:
                    self.assign(t, value, None, env, line)
            return
        if isinstance(target, ast.Starred):
            self.assign(target.value, value, None, env, line)
            return
        name = context.target_name(target)
        if name is not None:
            self._named_sink(name, value, line)
        if isinstance(target, ast.Subscript):
            self._session_sink(target, value, line)
            key = self._const(target.slice)
            if (
                isinstance(key, str)
                and key.lower() == "set-cookie"
                and isinstance(target.value, ast.Attribute)
                and target.value.attr == "headers"
                and value_node is not None
            ):
                self._set_cookie_header(value_node, target)
        path = _path_of(target)
        if path is None:
            # x[expr] = v, f().a = v: a weak update of the base container.
            base = target.value if isinstance(target, (ast.Subscript, ast.Attribute)) else None
            bpath = _path_of(base) if base is not None else None
            if isinstance(target, ast.Subscript):
                self.eval(target.slice, env)
            if bpath is not None:
                env[bpath] = union(env.get(bpath, CLEAN), value)
                self._store_global(bpath, value, line)
            elif base is not None and (cpath := _container_base(base)) is not None:
                self._store_global(cpath, value, line)  # BOARD[post_id][i] = x
            return
        if not isinstance(target, ast.Name) or target.id in self.declared_globals:
            self._store_global(path, value, line)
        if isinstance(target, ast.Name):
            if target.id not in self.declared_globals:
                self.locals.add(target.id)
            self.parsed_urls.pop(target.id, None)
            self.var_class.pop(target.id, None)
            if value_node is not None and self._json_like(value_node):
                self.json_vars.add(target.id)
            else:
                self.json_vars.discard(target.id)
            if value_node is not None:
                self.fragment_nodes[target.id] = [value_node]
            else:
                self.fragment_nodes.pop(target.id, None)
            kind = self.value_kind(value_node) if value_node is not None else None
            if kind is None:
                self.value_kinds.pop(target.id, None)
            else:
                self.value_kinds[target.id] = kind
            if isinstance(value_node, ast.Call):
                init = self.project.class_anchor(self.module, value_node.func, self)
                if init is not None:
                    self.var_class[target.id] = init
        stepped = with_step(value, step(self.path, line, f"assigned to {path}")) if value else value
        if (
            isinstance(target, ast.Attribute)
            and self._maybe_flask_g(target.value)
            and self._qualname(target.value) in FLASK_G
        ):
            env[f"g.{target.attr}"] = stepped
            self.project.record_flask_g(self.module, target.attr, stepped)
            return
        if isinstance(value_node, ast.Dict) and all(
            isinstance(k, ast.Constant) and isinstance(k.value, (str, int)) for k in value_node.keys
        ):
            self.write(env, path, CLEAN)
            for k, v in zip(value_node.keys, value_node.values, strict=True):
                assert isinstance(k, ast.Constant)
                vt = self.eval(v, env)
                env[f"{path}[{k.value!r}]"] = (
                    with_step(vt, step(self.path, line, f"stored in {path}[{k.value!r}]"))
                    if vt
                    else vt
                )
            return
        if isinstance(value_node, (ast.List, ast.Tuple)) and not any(
            isinstance(e, ast.Starred) for e in value_node.elts
        ):
            self.write(env, path, CLEAN)
            for i, v in enumerate(value_node.elts):
                vt = self.eval(v, env)
                env[f"{path}[{i!r}]"] = (
                    with_step(vt, step(self.path, line, f"stored in {path}[{i}]")) if vt else vt
                )
            return
        self.write(env, path, stepped)
        if isinstance(target, ast.Name) and isinstance(value_node, ast.Call):
            qn = self._qualname(value_node.func)
            if qn in URL_PARSERS and value_node.args:
                src = _path_of(self._joined_url(value_node.args[0]))
                if src:
                    self.parsed_urls[target.id] = src

    # ---------------------------------------------------------------- refinement (guards)

    def refine(self, test: ast.expr, env: Env, *, truth: bool) -> Env:
        """The environment in the branch where ``test`` is ``truth``."""
        if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
            return self.refine(test.operand, env, truth=not truth)
        if isinstance(test, ast.BoolOp):
            if isinstance(test.op, ast.And) and truth:
                for v in test.values:
                    env = self.refine(v, env, truth=True)
            elif isinstance(test.op, ast.Or) and not truth:
                for v in test.values:
                    env = self.refine(v, env, truth=False)
            # A netloc check cleans the URL whichever way it went (see _netloc_checked).
            for v in test.values:
                self._netloc_checked(v, env)
            return env
        self._netloc_checked(test, env)
        if isinstance(test, ast.Compare) and len(test.ops) == 1:
            op, left, right = test.ops[0], test.left, test.comparators[0]
            positive = isinstance(op, (ast.In, ast.Eq, ast.Is))
            negative = isinstance(op, (ast.NotIn, ast.NotEq, ast.IsNot))
            if (positive and truth) or (negative and not truth):
                p = _path_of(left)
                if isinstance(op, (ast.In, ast.NotIn)):
                    if p is not None and (
                        self._const_collection(right) or self._server_collection(right, env)
                    ):
                        self._cleanse_path(env, p, frozenset({ALL}))
                elif isinstance(op, (ast.Eq, ast.NotEq)):
                    if p is not None and self._const(right) is not NOT_CONST:
                        self._cleanse_path(env, p, frozenset({ALL}))
                    p2 = _path_of(right)
                    if p2 is not None and self._const(left) is not NOT_CONST:
                        self._cleanse_path(env, p2, frozenset({ALL}))
            member = (isinstance(op, ast.In) and truth) or (isinstance(op, ast.NotIn) and not truth)
            if isinstance(op, (ast.In, ast.NotIn)) and not member:
                # `".." in name` is false: no parent-directory step, no separator left.
                sep = self._const(left)
                if (
                    isinstance(sep, str)
                    and sep in PATH_SEPARATOR_CHECKS
                    and (p2 := _path_of(right))
                ):
                    self._cleanse_path(env, p2, frozenset({"path-traversal"}))
            self._commonpath_check(test, env, truth)
            return env
        if isinstance(test, ast.Call):
            self._guard_call(test, env, truth)
        return env

    def _cleanse_path(self, env: Env, path: str, rules: frozenset[str]) -> None:
        current = self.read(env, path)
        if current:
            for lb in current:
                if lb.origin.category == "param":
                    self.refined_params.update((lb.origin.param, r) for r in rules)
            self.write(env, path, cleanse(current, rules))

    def _netloc_checked(self, test: ast.expr, env: Env) -> None:
        for node in ast.walk(test):
            if isinstance(node, ast.Attribute) and node.attr in {"netloc", "hostname"}:
                target: str | None = None
                if isinstance(node.value, ast.Name) and node.value.id in self.parsed_urls:
                    target = self.parsed_urls[node.value.id]
                elif (
                    isinstance(node.value, ast.Call)
                    and node.value.args
                    and self._qualname(node.value.func) in URL_PARSERS
                ):
                    target = _path_of(self._joined_url(node.value.args[0]))
                if target:
                    self._cleanse_path(env, target, frozenset({"open-redirect", "ssrf"}))

    def _joined_url(self, node: ast.expr) -> ast.expr:
        """``urljoin(base, target)`` -> ``target``: the host of the joined URL is the one
        ``target`` names, if it names one (the check of the result is a check of it)."""
        if (
            isinstance(node, ast.Call)
            and len(node.args) >= 2
            and self._qualname(node.func) in {"urllib.parse.urljoin", "urlparse.urljoin"}
        ):
            return node.args[1]
        return node

    def _commonpath_check(self, test: ast.Compare, env: Env, truth: bool) -> None:
        op = test.ops[0]
        equal = (isinstance(op, ast.Eq) and truth) or (isinstance(op, ast.NotEq) and not truth)
        member = (isinstance(op, ast.In) and truth) or (isinstance(op, ast.NotIn) and not truth)
        right = test.comparators[0]
        if member and isinstance(right, ast.Attribute) and right.attr == "parents":
            # base in p.parents: the (resolved) path p lies under base.
            p = _path_of(right.value)
            if p is not None and self._normalised(env, p):
                self._cleanse_path(env, p, frozenset({"path-traversal"}))
            return
        if not equal:
            return
        for side in (test.left, test.comparators[0]):
            if isinstance(side, ast.Call) and self._qualname(side.func) == "os.path.commonpath":
                for arg in ast.walk(side):
                    p = _path_of(arg) if isinstance(arg, (ast.Name, ast.Attribute)) else None
                    if p and self._normalised(env, p):
                        self._cleanse_path(env, p, frozenset({"path-traversal"}))

    def _normalised_arg(self, node: ast.expr) -> str | None:
        """``os.path.realpath(x)`` / ``Path(x).resolve()`` -> the access path of ``x``."""
        if not isinstance(node, ast.Call):
            return None
        if self._qualname(node.func) in NORMALISERS and node.args:
            return _path_of(node.args[0])
        if isinstance(node.func, ast.Attribute) and node.func.attr in {"resolve", "absolute"}:
            inner = node.func.value
            if isinstance(inner, ast.Call) and self._qualname(inner.func) in PATH_CONSTRUCTORS:
                return _path_of(inner.args[0]) if len(inner.args) == 1 else None
            return _path_of(inner)
        return None

    def _normalised(self, env: Env, path: str) -> bool:
        t = self.read(env, path)
        return bool(t) and all(
            "path-normalised" in lb.cleansed or lb.origin.category not in UNTRUSTED for lb in t
        )

    def _guard_call(self, call: ast.Call, env: Env, truth: bool) -> None:
        func = call.func
        method = func.attr if isinstance(func, ast.Attribute) else None
        if method in {"startswith", "is_relative_to"} and truth and isinstance(func, ast.Attribute):
            p = _path_of(func.value)
            if p is not None and self._normalised(env, p):
                self._cleanse_path(env, p, frozenset({"path-traversal"}))
            resolved = self._normalised_arg(func.value)
            if resolved is not None:
                # os.path.realpath(path).startswith(BASE): path resolves to a place under BASE.
                self._cleanse_path(env, resolved, frozenset({"path-traversal"}))
            if method == "is_relative_to":
                return
        if not truth:
            return
        for t, rules in self.guard_targets(call):
            p = _path_of(t)
            if p is not None:
                self._cleanse_path(env, p, rules)

    def guard_targets(self, call: ast.Call) -> list[tuple[ast.expr, frozenset[str]]]:
        """The expressions ``call`` validates (and for which rules) when it returns true."""
        func = call.func
        qn = self._qualname(func)
        method = func.attr if isinstance(func, ast.Attribute) else None
        if method == "startswith" and isinstance(func, ast.Attribute) and call.args:
            arg0 = call.args[0]
            prefix = literal_value(arg0) if isinstance(arg0, ast.Tuple) else self._const(arg0)
            if (
                isinstance(prefix, tuple)
                and prefix
                and all(isinstance(x, str) and HOST_FIXED.match(x) for x in prefix)
            ):
                # startswith(("https://a.example/", "https://b.example/")): the weakest one.
                prefix = min(prefix, key=lambda x: bool(re.match(r"^https?://[^/]+/", x)))
            if isinstance(prefix, str) and HOST_FIXED.match(prefix):
                # x.startswith("/"): a path on this host, as "/" + x is (see _host_fixed);
                # x.startswith("https://api.example.com/"): a URL on that host.
                rules = {"open-redirect"}
                if re.match(r"^https?://[^/]+/", prefix):
                    rules.add("ssrf")
                return [(func.value, frozenset(rules))]
            return []
        guard = self.models.guards_by_callee.get(qn) if qn else None
        if guard is None and method and qn is None:
            guard = self.models.guards_by_method.get(method)
        if guard is None:
            return self._project_guard_targets(call)
        if guard.anchored_pattern is not None:
            if len(call.args) <= guard.anchored_pattern:
                return []
            pat = self._const(call.args[guard.anchored_pattern])
            if not isinstance(pat, str):
                return []
            if qn == "re.match" and not pat.endswith(("$", "\\Z")):
                return []
        targets: list[ast.expr] = []
        if guard.receiver and isinstance(func, ast.Attribute):
            targets.append(func.value)
        if guard.arg is not None and len(call.args) > guard.arg:
            targets.append(call.args[guard.arg])
        targets.extend(kw.value for kw in call.keywords if kw.arg in guard.kwargs)
        return [(t, guard.rules) for t in targets]

    def _project_guard_targets(self, call: ast.Call) -> list[tuple[ast.expr, frozenset[str]]]:
        """A project function whose summary says it validates a parameter (derived from its
        body, not its name); failing that, a library helper named like a redirect check."""
        func = call.func
        target = self.project.resolve_function(self.module, func, self)
        if target is None:
            name = (
                func.attr
                if isinstance(func, ast.Attribute)
                else (func.id if isinstance(func, ast.Name) else "")
            )
            if call.args and REDIRECT_GUARD_NAME.match(name):
                return [(call.args[0], frozenset({"open-redirect"}))]
            return []
        summary = self.project.summary(target)
        if summary is None or not summary.guards:
            return []
        params = list(target.params)
        offset = 1 if target.class_name is not None and params[:1] in (["self"], ["cls"]) else 0
        out: list[tuple[ast.expr, frozenset[str]]] = []
        for param, rules in summary.guards:
            i = param - offset
            if 0 <= i < len(call.args) and not any(
                isinstance(a, ast.Starred) for a in call.args[: i + 1]
            ):
                out.append((call.args[i], rules))
            elif param < len(params):
                out.extend((kw.value, rules) for kw in call.keywords if kw.arg == params[param])
        return out

    def _guarded_exprs(self, test: ast.expr, truth: bool) -> list[tuple[ast.expr, frozenset[str]]]:
        """Guard targets of a condition in the branch where it is ``truth``."""
        if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
            return self._guarded_exprs(test.operand, not truth)
        if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And) and truth:
            return [g for v in test.values for g in self._guarded_exprs(v, True)]
        if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.Or) and not truth:
            return [g for v in test.values for g in self._guarded_exprs(v, False)]
        if isinstance(test, ast.Call) and truth:
            return self.guard_targets(test)
        return []

    def _eval_guarded(self, node: ast.expr, test: ast.expr, truth: bool, env: Env) -> Taint:
        """Evaluate a branch of ``a if test else b``: an expression that is itself the guarded
        one (``request.args.get("next") if is_safe(request.args.get("next")) else ...``) is
        validated even though it has no variable to refine."""
        t = self.eval(node, self.refine(test, dict(env), truth=truth))
        if not t:
            return t
        dumped = ast.dump(node)
        for g, rules in self._guarded_exprs(test, truth):
            if ast.dump(g) == dumped:
                t = cleanse(t, rules)
        return t

    # ---------------------------------------------------------------- expressions

    def eval(self, node: ast.expr, env: Env) -> Taint:
        if isinstance(node, ast.Constant):
            return CLEAN
        if isinstance(node, ast.Name):
            t = self.read(env, node.id)
            if context.is_password_name(node.id):
                t = t | {self._password_label(node)}
            return t
        if isinstance(node, ast.Attribute):
            return self.eval_attribute(node, env)
        if isinstance(node, ast.Subscript):
            return self.eval_subscript(node, env)
        if isinstance(node, ast.Call):
            return self.eval_call(node, env)
        if isinstance(node, ast.BinOp):
            t = union(self.eval(node.left, env), self.eval(node.right, env))
            if isinstance(node.op, (ast.Add, ast.Mod)):
                t = self._host_fixed(node, t)
            return t
        if isinstance(node, ast.JoinedStr):
            parts: list[Taint] = []
            for v in node.values:
                if isinstance(v, ast.FormattedValue):
                    vt = self.eval(v.value, env)
                    spec = v.format_spec
                    if isinstance(spec, ast.JoinedStr) and any(
                        isinstance(s, ast.Constant)
                        and str(s.value)[-1:] in {"d", "f", "x", "e", "n", "b", "o", "%"}
                        for s in spec.values
                    ):
                        vt = cleanse(vt, frozenset({ALL}))  # {x:d} formats a number
                    parts.append(vt)
            return self._host_fixed(node, union(*parts))
        if isinstance(node, ast.FormattedValue):
            return self.eval(node.value, env)
        if isinstance(node, ast.BoolOp):
            return union(*(self.eval(v, env) for v in node.values))
        if isinstance(node, ast.Compare):
            self.eval(node.left, env)
            for comparator in node.comparators:
                self.eval(comparator, env)
            return CLEAN
        if isinstance(node, ast.UnaryOp):
            t = self.eval(node.operand, env)
            return CLEAN if isinstance(node.op, ast.Not) else t
        if isinstance(node, ast.IfExp):
            cond = self._const(node.test)
            if cond is not NOT_CONST:
                return self.eval(node.body if cond else node.orelse, env)
            self.eval(node.test, env)
            return union(
                self._eval_guarded(node.body, node.test, True, env),
                self._eval_guarded(node.orelse, node.test, False, env),
            )
        if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            return union(*(self.eval(e, env) for e in node.elts))
        if isinstance(node, ast.Dict):
            return union(
                *(self.eval(k, env) for k in node.keys if k is not None),
                *(self.eval(v, env) for v in node.values),
            )
        if isinstance(node, (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)):
            return self.eval_comprehension(node, env)
        if isinstance(node, ast.Lambda):
            inner = dict(env)
            for a in (*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs):
                inner[a.arg] = CLEAN
            return self.eval(node.body, inner)
        if isinstance(node, (ast.Await, ast.Starred)):
            return self.eval(node.value, env)
        if isinstance(node, (ast.Yield, ast.YieldFrom)):
            if node.value is not None:
                t = self.eval(node.value, env)
                self.returns = union(self.returns, t)
            return CLEAN
        if isinstance(node, ast.NamedExpr):
            t = self.eval(node.value, env)
            self.assign(node.target, t, node.value, env, node.lineno)
            return t
        if isinstance(node, ast.Slice):
            for part in (node.lower, node.upper, node.step):
                if part is not None:
                    self.eval(part, env)
            return CLEAN
        return CLEAN

    def _host_fixed(self, node: ast.expr, t: Taint) -> Taint:
        if not t:
            return t
        prefix = _const_prefix(node, self._const)
        if prefix is not None and HOST_FIXED.match(prefix):
            # "/accounts/" + x can only go to this host; neither a redirect nor a request
            # can be sent elsewhere by the untrusted part.
            return cleanse(t, frozenset({"open-redirect", "ssrf"}))
        return t

    def _password_label(self, node: ast.expr) -> Label:
        line = getattr(node, "lineno", 0)
        return Label(Origin("password", _short(node), self.path, line))

    def eval_comprehension(
        self, node: ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp, env: Env
    ) -> Taint:
        inner = dict(env)
        for gen in node.generators:
            it = self.eval(gen.iter, inner)
            self.assign(gen.target, it, None, inner, node.lineno)
            for cond in gen.ifs:
                self.eval(cond, inner)
                inner = self.refine(cond, inner, truth=True)
        if isinstance(node, ast.DictComp):
            return union(self.eval(node.key, inner), self.eval(node.value, inner))
        return self.eval(node.elt, inner)

    def _attr_source(self, node: ast.Attribute) -> Taint | None:
        """A source: flask.request.args, os.environ, request.GET on a request parameter."""
        base_qn = self._qualname(node.value)
        if base_qn is not None:
            attrs = self.models.source_attrs.get(base_qn)
            if attrs and node.attr in attrs:
                sm = attrs[node.attr]
                return frozenset(
                    {self._source_label(sm.category, _short(node), node.lineno, sm.exclude_rules)}
                )
        if (
            isinstance(node.value, ast.Name)
            and node.value.id in self.request_params
            and node.attr in self.request_attrs
        ):
            return frozenset({self._source_label("web", _short(node), node.lineno)})
        return None

    def _env_path(self, node: ast.expr) -> str | None:
        """The access path of ``node`` when its root is a variable (not an imported name)."""
        path = _path_of(node)
        if path is None:
            return None
        root = _root_of(path)
        if root not in self.locals and root in self.module.aliases:
            return None
        return path

    def eval_attribute(self, node: ast.Attribute, env: Env) -> Taint:
        src = self._attr_source(node)
        if src is not None:
            return src
        if self._maybe_flask_g(node.value) and self._qualname(node.value) in FLASK_G:
            # flask.g: set in one function of the request (a before_request hook), read in
            # another (the view).
            local = env.get(f"g.{node.attr}")
            if local is not None:
                return local
            return self.project.flask_g_value(self.module, node.attr)
        path = self._env_path(node)
        t = self.read(env, path) if path is not None else self.eval(node.value, env)
        if node.attr in {"name", "stem", "suffix"} and self.value_kind(node.value) == PATH_KIND:
            # The last component of a path: no separators left in it.
            t = cleanse(t, frozenset({"path-traversal"}))
        if context.is_password_name(node.attr):
            t = t | {self._password_label(node)}
        return t

    def eval_subscript(self, node: ast.Subscript, env: Env) -> Taint:
        key_t = self.eval(node.slice, env)
        path = self._env_path(node)
        t = self.read(env, path) if path is not None else self.eval(node.value, env)
        if path is not None:
            # ``request.POST["k"]`` on a request parameter: the access path is rooted at a
            # local, but the attribute itself is the source.
            base = node.value
            while isinstance(base, ast.Subscript):
                base = base.value
            if isinstance(base, ast.Attribute):
                src = self._attr_source(base)
                if src is not None:
                    t = t | src
        key = node.slice
        if (
            isinstance(key, ast.Constant)
            and isinstance(key.value, str)
            and context.is_password_name(key.value)
        ):
            t = t | {self._password_label(node)}
        del key_t  # a tainted index selects an element; it does not taint the element
        return t

    # ---------------------------------------------------------------- calls

    def eval_call(self, node: ast.Call, env: Env) -> Taint:
        func = node.func
        qn = self._qualname(func)
        method = func.attr if isinstance(func, ast.Attribute) else None
        recv_node = func.value if isinstance(func, ast.Attribute) else None
        # getattr(obj, "name") is obj.name
        if (
            qn == "builtins.getattr"
            and len(node.args) >= 2
            and isinstance(node.args[1], ast.Constant)
            and isinstance(node.args[1].value, str)
        ):
            fake = ast.Attribute(value=node.args[0], attr=node.args[1].value, ctx=ast.Load())
            ast.copy_location(fake, node)
            return self.eval_attribute(fake, env)

        args_t = [self.eval(a, env) for a in node.args]
        kw_t: dict[str, Taint] = {}
        for kw in node.keywords:
            kw_t[kw.arg or "**"] = union(kw_t.get(kw.arg or "**", CLEAN), self.eval(kw.value, env))
        recv_t: Taint = CLEAN
        if recv_node is not None:
            recv_t = self.eval(recv_node, env)
            if isinstance(func, ast.Attribute):
                called_source = self._attr_source(func)
                if called_source is not None:
                    recv_t = union(recv_t, called_source)
        all_args = union(*args_t, *kw_t.values())
        result: Taint | None = None

        # Sources that are calls: input(), os.getenv(...).
        extra: Taint = CLEAN
        if qn is not None and qn in self.models.source_calls:
            sm = self.models.source_calls[qn]
            extra = frozenset(
                {self._source_label(sm.category, _short(node), node.lineno, sm.exclude_rules)}
            )
        elif method and qn is None:
            for fact_name, sm in self.models.source_methods.get(method, ()):
                if has_fact(recv_t, fact_name):
                    extra = frozenset(
                        {
                            self._source_label(
                                sm.category, _short(node), node.lineno, sm.exclude_rules
                            )
                        }
                    )
                    break

        # Facts (an XXE-enabled parser, an LDAP connection, an HTTP session).
        fact = self.models.facts_by_callee.get(qn) if qn else None
        if fact is None and method and qn is None:
            fact = self.models.facts_by_method.get(method)
        if fact is not None:
            extra = extra | self._fact(fact, node, recv_node, env)

        # Sinks.
        sinks = self.models.sinks_by_callee.get(qn, ()) if qn else ()
        if not sinks and method and not self._is_module_function(qn):
            sinks = self.models.sinks_by_method.get(method, ())
        for sink in sinks:
            self.check_sink(sink, node, args_t, kw_t, recv_t, env)
        if isinstance(func, ast.Name) and func.id in self.locals:
            # Calling an object held in a variable (an XPathEvaluator): its __call__ method.
            callee_t = self.read(env, func.id)
            for sink in self.models.sinks_by_method.get("__call__", ()):
                self.check_sink(sink, node, args_t, kw_t, callee_t, env)

        if (
            method in {"update", "setdefault"}
            and recv_node is not None
            and self._is_session(recv_node)
        ):
            stored = union(*args_t[1:], *kw_t.values()) if method == "setdefault" else all_args
            self.report("trust-boundary", 501, node, stored, f"{_short(node.func)}() (session)")

        if (
            method in {"add", "set", "append", "add_header", "setdefault"}
            and len(node.args) >= 2
            and isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Attribute)
            and func.value.attr == "headers"
            and isinstance(header := self._const(node.args[0]), str)
            and header.lower() == "set-cookie"
        ):
            self._set_cookie_header(node.args[1], node)
        if qn == "random.shuffle" and node.args and (sp := _path_of(node.args[0])) is not None:
            # The list is now in an order chosen by a predictable generator.
            label = Label(Origin("random", _short(node), self.path, node.lineno))
            env[sp] = union(self.read(env, sp), frozenset({label}))

        # Context rules.
        if method in {"set_cookie", "set_signed_cookie"}:
            self._cookie_rule(node)
            cookie = (
                node.args[0]
                if node.args
                else next((k.value for k in node.keywords if k.arg == "key"), None)
            )
            name = self._const(cookie) if cookie is not None else None
            if isinstance(name, str):
                value_t = args_t[1] if len(args_t) > 1 else kw_t.get("value", CLEAN)
                self._named_sink(name, value_t, node.lineno)
        hashed = self._hash_rule(node, qn, args_t, kw_t, recv_t)
        if hashed is not None:
            extra = extra | hashed
        if qn is not None and qn.startswith("random.") and qn.split(".")[-1] in RANDOM_FUNCS:
            extra = extra | {Label(Origin("random", _short(node), self.path, node.lineno))}
        callee_name = (
            func.attr
            if isinstance(func, ast.Attribute)
            else (func.id if isinstance(func, ast.Name) else None)
        )
        if callee_name and callee_name not in {"set_cookie"}:
            for kw in node.keywords:
                if kw.arg:
                    self._named_sink(kw.arg, kw_t[kw.arg], kw.value.lineno)
            if context.is_security_name(callee_name):
                self._named_sink(callee_name, all_args, node.lineno)

        # Mutating methods taint their receiver.
        effect = self.models.propagators_by_callee.get(qn) if qn else None
        if effect is None and method and qn is None:
            for fact_name, fact_effect in self.models.fact_propagators_by_method.get(method, ()):
                if has_fact(recv_t, fact_name):
                    effect = fact_effect
                    break
        # store.add(x), store.all() on an instance of a project class: its summary tells what
        # the method does, not the library method of that name (set.add, an ORM's .all()).
        own = (
            self.project.resolve_function(self.module, func, self)
            if method and qn is None and recv_node is not None
            else None
        )
        own_method = own is not None and own.class_name is not None
        if effect is None and method and not own_method:
            effect = self.models.propagators_by_method.get(method)
        if effect == "args-to-receiver" and recv_node is not None:
            rp = _path_of(recv_node)
            if rp is not None and all_args:
                env[rp] = union(env.get(rp, self.read(env, rp)), all_args)
                self._store_global(rp, all_args, node.lineno)
            elif all_args and (cpath := _container_base(recv_node)) is not None:
                # COMMENTS[post_id].append(x), COMMENTS.setdefault(post_id, []).append(x)
                self._store_global(cpath, all_args, node.lineno)
            return union(recv_t, extra) if method != "update" else extra

        # werkzeug's args.get("x", type=int) converts: the result is a number.
        if (
            method == "get"
            and "type" in kw_t
            and isinstance(
                next((k.value for k in node.keywords if k.arg == "type"), None), ast.Name
            )
        ):
            type_name = next(k.value for k in node.keywords if k.arg == "type")
            if isinstance(type_name, ast.Name) and type_name.id in {"int", "float", "bool"}:
                return extra

        # re.sub(r"[^A-Za-z0-9_-]", "", x): only the listed characters are left.
        if qn in {"re.sub", "regex.sub"} and len(node.args) >= 3:
            rules = self._stripped_rules(node)
            if rules:
                return union(cleanse(union(args_t[2], kw_t.get("string", CLEAN)), rules), extra)

        # Sanitisers.
        san = self.models.sanitisers_by_callee.get(qn) if qn else None
        if san is None and method:
            san = None if own_method else self.models.sanitisers_by_method.get(method)
        if san is not None:
            base = union(recv_t, all_args) if method and qn is None else all_args
            if method and san.rules == frozenset({ALL}):
                base = union(recv_t, all_args)
            return union(cleanse(base, san.rules), extra)

        # A Flask-WTF form: the instance holds the submitted form fields.
        if self._is_form_class(qn):
            label = self._source_label("web", f"{_short(func)}() form data", node.lineno)
            return union(all_args, extra, frozenset({label}))

        # Project classes: the constructor's summary, the instance carries its arguments.
        init = self.project.constructor(self.module, func, self)
        if init is not None:
            summary = self.project.summary(init)
            if summary is not None:
                self.apply_summary(init, summary, node, args_t, kw_t, CLEAN)
            return union(all_args, extra)

        # A function defined inside this one: analysed here, where its free variables have
        # the values of this call site (a closure over request data).
        nested = self._nested_function(func)
        if nested is not None:
            key = id(nested.node)
            self.project.nested_running.add(key)
            try:
                outer = {**self.globals_env, **env}
                summary = FunctionAnalyser(self.project, self.module, nested, outer).run_function()
            finally:
                self.project.nested_running.discard(key)
            return union(self.apply_summary(nested, summary, node, args_t, kw_t, CLEAN), extra)

        # Project functions: apply the callee's summary.
        target = self.project.resolve_function(self.module, func, self)
        if target is not None:
            summary = self.project.summary(target)
            if (
                recv_node is not None
                and all_args
                and target.class_name is not None
                and self.project.stores_on_self(target)
                and (rp := _path_of(recv_node)) is not None
                and _root_of(rp) in self.locals
            ):
                # obj.set_path(x): a method that stores on self makes the object carry x.
                env[rp] = union(self.read(env, rp), all_args)
            if summary is not None:
                result = self.apply_summary(target, summary, node, args_t, kw_t, recv_t)
                return union(result, extra)

        if effect == "clean":
            return extra
        if effect == "receiver":
            return union(recv_t, extra)
        if effect == "first-arg":
            return union(args_t[0] if args_t else CLEAN, extra)
        known = method in KNOWN_STR_METHODS or effect == "propagate"
        base = union(recv_t, all_args)
        if isinstance(func, ast.Name) and func.id in self.locals:
            base = union(base, self.read(env, func.id))  # a lambda or callable in a variable
        if not known:
            if self.project.options.unknown_calls == "clean" and not (recv_t and method):
                return extra
            base = approximate(base)
        return union(base, extra)

    def _stripped_rules(self, node: ast.Call) -> frozenset[str]:
        """The rules for which ``re.sub("[^<allowed>]+", "", x)`` makes ``x`` safe: those whose
        dangerous characters are all outside the allowed set."""
        pattern, repl = self._const(node.args[0]), self._const(node.args[1])
        if not isinstance(pattern, str) or not isinstance(repl, str) or len(repl) > 1:
            return frozenset()
        m = re.fullmatch(r"\[\^((?:\\.|[^\]\\])+)\][+*]?", pattern)
        if m is None or (repl and _class_allows(m.group(1), repl) is False):
            return frozenset()
        body = m.group(1)
        return frozenset(
            rule
            for rule, chars in DANGEROUS_CHARS.items()
            if not any(_class_allows(body, c) for c in chars)
        )

    def _maybe_flask_g(self, node: ast.expr) -> bool:
        """Cheap pre-check for ``g`` / ``flask.g`` before resolving the name."""
        if isinstance(node, ast.Name):
            return node.id == "g" or self.module.aliases.get(node.id) in FLASK_G
        return isinstance(node, ast.Attribute) and node.attr == "g"

    def _is_form_class(self, qn: str | None) -> bool:
        if qn is None or "flask" not in self.module.frameworks:
            return False
        mod_part, _, cls = qn.rpartition(".")
        if mod_part == self.module.name:
            return cls in self.module.form_classes
        path = self.project.by_name.get(mod_part)
        target = self.project.module_at(path) if path is not None else None
        return target is not None and cls in target.form_classes

    def _nested_function(self, func: ast.expr) -> FunctionInfo | None:
        if self.func is None or not isinstance(func, ast.Name):
            return None
        nested = self.module.functions.get(f"{self.func.local_name}.{func.id}")
        if nested is None or id(nested.node) in self.project.nested_running:
            return None
        if len(self.project.nested_running) >= 3:
            return None
        return nested

    def _is_module_function(self, qn: str | None) -> bool:
        """True when ``qn`` is a function of an imported module (``os.path.join``), so that a
        method model (``.join``) must not apply; False for methods on objects reached through
        a module attribute (``flask.g.db.execute``)."""
        if qn is None:
            return False
        head = qn.split(".")[0]
        return head in {
            "os",
            "shutil",
            "json",
            "re",
            "subprocess",
            "pickle",
            "yaml",
            "hashlib",
            "random",
            "builtins",
            "base64",
            "urllib",
            "html",
            "shlex",
            "string",
            "secrets",
            "hmac",
            "math",
            "time",
            "datetime",
            "logging",
        } and (qn.count(".") <= 2)

    def _fact(
        self, fact_model: object, node: ast.Call, recv_node: ast.expr | None, env: Env
    ) -> Taint:
        from mamori.scan.taint.models import FactModel

        assert isinstance(fact_model, FactModel)
        kws = {kw.arg: kw.value for kw in node.keywords if kw.arg}
        if fact_model.when_true or fact_model.when_false:
            on = any(self._const(kws[k]) is True for k in fact_model.when_true if k in kws) or any(
                self._const(kws[k]) is False for k in fact_model.when_false if k in kws
            )
            if not on:
                return CLEAN
        if fact_model.arg0:
            if not node.args or self._qualname(node.args[0]) not in fact_model.arg0:
                return CLEAN
            if fact_model.arg1_true and (
                len(node.args) < 2 or self._const(node.args[1]) is not True
            ):
                return CLEAN
        label = Label(Origin("fact", fact_model.fact, self.path, node.lineno))
        if fact_model.on_receiver and recv_node is not None:
            rp = _path_of(recv_node)
            if rp is not None:
                env[rp] = union(self.read(env, rp), frozenset({label}))
            return CLEAN
        return frozenset({label})

    def apply_summary(
        self,
        target: FunctionInfo,
        summary: Summary,
        node: ast.Call,
        args_t: list[Taint],
        kw_t: dict[str, Taint],
        recv_t: Taint,
    ) -> Taint:
        params = list(target.params)
        offset = 0
        if target.class_name is not None and params[:1] in (["self"], ["cls"]):
            offset = 1
        by_index: dict[int, Taint] = {}
        if offset:
            by_index[0] = recv_t
        extra_pos: list[Taint] = []
        for i, arg_taint in enumerate(args_t):
            idx = i + offset
            if idx < len(params) and not any(
                isinstance(x, ast.Starred) for x in node.args[: i + 1]
            ):
                by_index[idx] = arg_taint
            else:
                extra_pos.append(arg_taint)
        extra_kw: list[Taint] = []
        for name, t in kw_t.items():
            if name in params:
                by_index[params.index(name)] = union(by_index.get(params.index(name), CLEAN), t)
            else:
                extra_kw.append(t)
        star = union(*extra_pos)
        if star and target.vararg is None:
            # f(*args) into named parameters: any of them may receive it.
            for i in range(offset, len(params)):
                by_index[i] = union(by_index.get(i, CLEAN), star)
        by_index[len(params)] = star
        by_index[len(params) + 1] = union(*extra_kw, kw_t.get("**", CLEAN))

        call_step = step(self.path, node.lineno, f"passed to {target.local_name}()")
        out: list[Label] = []
        for lb in summary.returns:
            if lb.origin.category == "param":
                arg = by_index.get(lb.origin.param, CLEAN)
                for a in (
                    cleanse(arg, lb.cleansed - {ALL})
                    if ALL not in lb.cleansed
                    else cleanse(arg, frozenset({ALL}))
                ):
                    steps = (
                        *a.steps,
                        call_step,
                        *lb.steps[-3:],
                        step(self.path, node.lineno, f"returned from {target.local_name}()"),
                    )
                    out.append(
                        Label(a.origin, a.cleansed, steps[-12:], a.approximate or lb.approximate)
                    )
            else:
                out.append(Label(lb.origin, lb.cleansed, lb.steps, lb.approximate))
        for ps in summary.param_sinks:
            arg = by_index.get(ps.param, CLEAN)
            # In a stable order: the parameter sinks it adds are part of a summary.
            for a in sorted(arg, key=label_order) if len(arg) > 1 else arg:
                if not a.dangerous_for(ps.rule):
                    continue
                flow = (*a.steps, call_step, *ps.steps[-4:])
                self._report_label(a, ps.rule, ps.cwe, ps.path, ps.line, ps.end_line, ps.sink, flow)
        if (
            summary.self_stores
            and isinstance(node.func, ast.Attribute)
            and (rp := _path_of(node.func.value)) is not None
        ):
            # STORE.add(x) on a module-level instance of a project class.
            for param, rules in summary.self_stores:
                arg = by_index.get(param, CLEAN)
                if arg:
                    stored = with_step(cleanse(arg, frozenset(rules)), call_step)
                    self._store_global(rp, stored, node.lineno)
        if summary.global_stores and target.module.path == self.path:
            # save(text) where save() appends its parameter to a module-level list.
            for gs in summary.global_stores:
                arg = by_index.get(gs.param, CLEAN)
                if arg:
                    stored = with_step(cleanse(arg, frozenset(gs.cleansed)), call_step)
                    self._store_global(gs.path, stored, gs.line, checked=True)
        return union(canonical(out))

    # ---------------------------------------------------------------- sinks

    def check_sink(
        self,
        sink: SinkModel,
        node: ast.Call,
        args_t: list[Taint],
        kw_t: dict[str, Taint],
        recv_t: Taint,
        env: Env,
    ) -> None:
        kws = {kw.arg: kw.value for kw in node.keywords if kw.arg}
        if sink.receiver_type is not None and isinstance(node.func, ast.Attribute):
            kind = self.value_kind(node.func.value)
            if kind is not None and kind != sink.receiver_type:
                return  # str.replace is not Path.replace
            if sink.strict_receiver and kind != sink.receiver_type:
                return
        if sink.requires_fact:
            fact_t = recv_t
            if sink.fact_arg is not None:
                fact_t = args_t[sink.fact_arg] if len(args_t) > sink.fact_arg else CLEAN
            if sink.fact_kwarg and sink.fact_kwarg in kw_t:
                fact_t = kw_t[sink.fact_kwarg]
            if not has_fact(fact_t, sink.requires_fact):
                return
        if sink.unless is not None:
            u = sink.unless
            vnode = node.args[u.index] if len(node.args) > u.index else kws.get(u.name)
            if vnode is not None and self._qualname(vnode) in u.values:
                return
            if (
                vnode is not None
                and self._qualname(vnode) is None
                and not isinstance(vnode, ast.Constant)
            ):
                # A loader chosen at run time: cannot tell, do not guess "unsafe".
                return
        for mk in sink.safe_mimetype:
            v = kws.get(mk)
            if v is not None:
                c = self._const(v)
                if isinstance(c, str) and "html" not in c.lower():
                    return
        checked: list[tuple[Taint, ast.expr | None]] = []
        shell_on = True
        if sink.shell is not None:
            v = kws.get(sink.shell)
            shell_on = v is not None and bool(self._const(v)) and self._const(v) is not NOT_CONST
            if v is not None and self._const(v) is NOT_CONST:
                shell_on = True  # shell=variable: assume the worst
        for i in sink.args:
            if i < len(node.args) and not isinstance(node.args[i], ast.Starred):
                checked.append((args_t[i], node.args[i]))
        for k in sink.kwargs:
            if k in kw_t:
                checked.append((kw_t[k], kws.get(k)))
        if sink.receiver:
            checked.append(
                (recv_t, node.func.value if isinstance(node.func, ast.Attribute) else None)
            )
        desc = _short(node.func) + "()"
        for whole, vnode in checked:
            taint = whole
            if sink.dict_keys:
                taint = self._dict_entries(vnode, sink.dict_keys, env)
            if not shell_on and vnode is not None:
                taint = self._program_of(vnode, env, whole)
            if sink.fragment is not None and (
                vnode is None or not sink.fragment.search(self._fragments(vnode))
            ):
                continue
            self.report(sink.rule, sink.cwe, node, taint, desc)

    def _dict_entries(self, vnode: ast.expr | None, keys: tuple[str, ...], env: Env) -> Taint:
        """The values stored under ``keys`` (any case) of a dict argument."""
        wanted = {k.lower() for k in keys}
        if isinstance(vnode, ast.Dict):
            return union(
                *(
                    self.eval(v, env)
                    for k, v in zip(vnode.keys, vnode.values, strict=True)
                    if k is None
                    or not isinstance(k, ast.Constant)
                    or str(k.value).lower() in wanted
                )
            )
        p = _path_of(vnode) if vnode is not None else None
        if p is None:
            return CLEAN
        found = [
            taint
            for path, taint in env.items()
            if path.startswith(p + "[") and path[len(p) + 1 : -1].strip("'\"").lower() in wanted
        ]
        return union(*found) if found else CLEAN

    def _program_of(self, vnode: ast.expr, env: Env, whole: Taint) -> Taint:
        """The part of a command that names the program (no shell: arguments are data), or
        the command string handed to a shell (``["sh", "-c", cmd]``)."""
        if isinstance(vnode, (ast.List, ast.Tuple)):
            if not vnode.elts:
                return CLEAN
            program = self._const(vnode.elts[0])
            flags = [self._const(e) for e in vnode.elts[1:]]
            if isinstance(program, str) and SHELL_PROGRAM.search(program):
                for i, flag in enumerate(flags):
                    if isinstance(flag, str) and flag.lower() in {"-c", "/c", "-command"}:
                        rest = vnode.elts[i + 2 : i + 3]
                        return union(
                            self.eval(vnode.elts[0], env), *(self.eval(e, env) for e in rest)
                        )
            return self.eval(vnode.elts[0], env)
        p = _path_of(vnode)
        if p is not None and f"{p}[0]" in env:
            return env[f"{p}[0]"]
        return whole

    def report(self, rule: str, cwe: int, node: ast.AST, taint: Taint, desc: str) -> None:
        line = getattr(node, "lineno", 0)
        end = getattr(node, "end_lineno", line) or line
        # In a stable order: the parameter sinks it adds are part of a summary.
        for lb in sorted(taint, key=label_order) if len(taint) > 1 else taint:
            if not lb.dangerous_for(rule):
                continue
            flow = (*lb.steps, step(self.path, line, f"sink: {desc}"))
            if lb.origin.category == "param":
                self.param_sinks.append(
                    ParamSink(
                        param=lb.origin.param,
                        rule=rule,
                        cwe=cwe,
                        path=self.path,
                        line=line,
                        end_line=end,
                        sink=desc,
                        steps=flow,
                    )
                )
            else:
                self._report_label(lb, rule, cwe, self.path, line, end, desc, flow)

    def _report_label(
        self,
        lb: Label,
        rule: str,
        cwe: int,
        path: str,
        line: int,
        end: int,
        desc: str,
        flow: tuple[FlowStep, ...],
    ) -> None:
        if lb.origin.category == "param":
            # Still symbolic: becomes part of this function's summary.
            self.param_sinks.append(
                ParamSink(
                    param=lb.origin.param,
                    rule=rule,
                    cwe=cwe,
                    path=path,
                    line=line,
                    end_line=end,
                    sink=desc,
                    steps=flow,
                )
            )
            return
        confidence = Confidence.HIGH
        if lb.approximate:
            confidence = Confidence.MEDIUM
        if lb.origin.category == "local":
            confidence = Confidence.LOW if lb.approximate else Confidence.MEDIUM
        message = f"{lb.origin.description} reaches {desc}"
        self.project.add_hit(
            Hit(
                rule=rule,
                cwe=cwe,
                path=path,
                line=line,
                end_line=end,
                message=message,
                flow=flow,
                confidence=confidence,
            )
        )

    def on_return(self, value: ast.expr, env: Env) -> None:
        t = self.eval(value, env)
        self._note_return(value, env)
        self.returns = union(
            self.returns, with_step(t, step(self.path, value.lineno, "returned")) if t else t
        )
        if self.func is not None and self.func.flask_view:
            for body in self._response_bodies(value):
                bt = self.eval(body, env) if body is not value else t
                if not has_fact(bt, "http-response") and not self._json_like(body):
                    self.report(XSS_RULE, 79, value, bt, f"response body of view {self.name}()")
        elif self.func is not None and t and HTML_TEXT.search(self._built_text(value, 0)):
            self._note_html_return(value, t)
        if self.name and context.is_security_name(self.name):
            self._named_sink(self.name, t, value.lineno)

    def _note_html_return(self, value: ast.expr, t: Taint) -> None:
        line = value.lineno
        end = value.end_lineno or line
        desc = f"HTML returned by {self.name}()"
        for lb in sorted(t, key=label_order) if len(t) > 1 else t:
            if lb.origin.category == "param" and lb.dangerous_for(XSS_RULE):
                self.html_returns.append(
                    ParamSink(
                        param=lb.origin.param,
                        rule=XSS_RULE,
                        cwe=79,
                        path=self.path,
                        line=line,
                        end_line=end,
                        sink=desc,
                        steps=(*lb.steps, step(self.path, line, f"sink: {desc}")),
                    )
                )

    def _fragments(self, node: ast.expr) -> str:
        """The literal text of an expression, and of the strings the variables in it were
        built from (``path = ".//item[@id='{}']".format(x)``; ``root.find(path)``)."""
        parts: list[str] = []
        for sub in ast.walk(node):
            if isinstance(sub, ast.Constant) and isinstance(sub.value, str):
                parts.append(sub.value)
            elif isinstance(sub, ast.Name):
                parts.append(self._built_text(sub, 0))
        return "".join(parts)[:4000]

    def _built_text(self, node: ast.expr, depth: int) -> str:
        """The literal text a string-building expression contributes (concatenation, %, an
        f-string, str.format on a literal template), through variables; not the constants
        passed to other calls (``x.lstrip("/")`` builds nothing)."""
        if depth > 4:
            return ""
        if isinstance(node, ast.Constant):
            return node.value if isinstance(node.value, str) else ""
        if isinstance(node, ast.Name):
            return "".join(
                self._built_text(n, depth + 1) for n in self.fragment_nodes.get(node.id, ())
            )
        if isinstance(node, ast.JoinedStr):
            return "".join(
                v.value
                for v in node.values
                if isinstance(v, ast.Constant) and isinstance(v.value, str)
            )
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
            return self._built_text(node.left, depth + 1) + self._built_text(node.right, depth + 1)
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in {"format", "format_map", "join"}
        ):
            return self._built_text(node.func.value, depth + 1)
        return ""

    def _response_bodies(self, value: ast.expr) -> Iterator[ast.expr]:
        """The expressions that become the body of a view's response: the first element of a
        ``(body, status)`` tuple, each branch of a conditional expression."""
        if isinstance(value, ast.IfExp):
            c = self._const(value.test)
            if c is NOT_CONST or c:
                yield from self._response_bodies(value.body)
            if c is NOT_CONST or not c:
                yield from self._response_bodies(value.orelse)
            return
        if isinstance(value, ast.Tuple) and value.elts:
            headers = value.elts[-1] if len(value.elts) > 1 else None
            if isinstance(headers, ast.Dict):
                for k, v in zip(headers.keys, headers.values, strict=True):
                    ctype = self._const(v)
                    if (
                        isinstance(k, ast.Constant)
                        and str(k.value).lower() == "content-type"
                        and isinstance(ctype, str)
                        and "html" not in ctype.lower()
                    ):
                        return  # (body, 200, {"Content-Type": "text/csv"}): not HTML
            yield value.elts[0]
            return
        yield value

    def _json_like(self, node: ast.expr) -> bool:
        """A dict or list, which Flask turns into a JSON response."""
        if isinstance(node, (ast.Dict, ast.List, ast.DictComp, ast.ListComp)):
            return True
        if isinstance(node, ast.Name):
            return node.id in self.json_vars
        if isinstance(node, ast.Call):
            return self._qualname(node.func) in {"builtins.dict", "builtins.list"}
        return False

    def _note_return(self, value: ast.expr, env: Env) -> None:
        """Record which parameters are validated where this return gives a true value (the
        raw material of the guard summary: ``def is_safe(url): ... return not p.netloc``)."""
        if self.func is None:
            return
        c = self._const(value)
        if c is not NOT_CONST and not c:
            return  # return False / None: says nothing about the true case
        if not _bool_like(value):
            # A function returning the URL or its host is not a yes/no validator.
            self.truthy_returns.append(frozenset())
            return
        env_t = self.refine(value, dict(env), truth=True)
        checked: set[tuple[int, str]] = set()
        for taint in env_t.values():
            for lb in taint:
                if lb.origin.category == "param":
                    checked.update(
                        (lb.origin.param, r) for r in lb.cleansed & DERIVABLE_GUARD_RULES
                    )
        self.truthy_returns.append(frozenset(checked))

    def _is_session(self, base: ast.expr) -> bool:
        qn = self._qualname(base)
        return qn in {"flask.session", "flask.globals.session"} or (
            isinstance(base, ast.Attribute)
            and base.attr == "session"
            and isinstance(base.value, ast.Name)
            and base.value.id in self.request_params
        )

    def _session_sink(self, target: ast.Subscript, value: Taint, line: int) -> None:
        if self._is_session(target.value):
            self.report("trust-boundary", 501, target, value, f"{_short(target)} (session)")
        elif (
            isinstance(target.value, ast.Attribute)
            and target.value.attr == "headers"
            and isinstance(target.slice, ast.Constant)
            and str(target.slice.value).lower() == "location"
        ):
            # resp.headers["Location"] = url: a redirect built by hand.
            self.report("open-redirect", 601, target, value, f"{_short(target)} (redirect)")

    # ---------------------------------------------------------------- context rules

    def _named_sink(self, name: str, value: Taint, line: int) -> None:
        """A random or md5/sha1 value stored or returned under a security-relevant name."""
        for lb in value:
            cat = lb.origin.category
            if cat == "random" and context.is_security_name(name):
                self.project.add_context_hit(
                    "insecure-random",
                    330,
                    lb.origin,
                    f"{lb.origin.description} (module random is predictable) generates {name!r}; "
                    "use the secrets module",
                    Confidence.HIGH
                    if re.search("token|secret|passw|key|salt|nonce|otp", name, re.I)
                    else Confidence.MEDIUM,
                )
            elif cat == "weakhash":
                if context.PASSWORD_HASH_NAME.search(name) or (context.is_password_name(name)):
                    self.project.add_context_hit(
                        "weak-password-hash",
                        916,
                        lb.origin,
                        f"{lb.origin.description} is stored as a password hash ({name!r}); use a "
                        "slow, salted password hash (argon2, scrypt, bcrypt, pbkdf2)",
                        Confidence.HIGH,
                    )
                elif context.is_security_name(name):
                    self.project.add_context_hit(
                        "weak-password-hash",
                        328,
                        lb.origin,
                        f"{lb.origin.description} (a broken hash) produces {name!r}",
                        Confidence.MEDIUM,
                    )

    def _hash_rule(
        self,
        node: ast.Call,
        qn: str | None,
        args_t: list[Taint],
        kw_t: dict[str, Taint],
        recv_t: Taint,
    ) -> Taint | None:
        if qn is None or not qn.startswith("hashlib."):
            # h.update(password) on a hash object created with a fast hash
            return None
        alg = qn.split(".", 1)[1]
        data = list(args_t)
        if alg == "new":
            if not node.args:
                return None
            name = self._const(node.args[0])
            if not isinstance(name, str):
                return None
            alg = name.lower().replace("-", "")
            data = data[1:]
        if alg not in FAST_HASHES:
            return None
        for kw in node.keywords:
            if kw.arg == "usedforsecurity" and self._const(kw.value) is False:
                return None
        data_t = union(*data, kw_t.get("data", CLEAN), kw_t.get("string", CLEAN))
        is_password = any(lb.origin.category == "password" for lb in data_t) or (
            bool(self.name) and bool(context.PASSWORD_FUNCTION.search(self.name))
        )
        origin = Origin("weakhash", f"hashlib.{alg}()", self.path, node.lineno)
        if is_password:
            self.project.add_context_hit(
                "weak-password-hash",
                916,
                origin,
                f"password hashed with hashlib.{alg}, a fast hash; use a slow, salted password "
                "hash (argon2, scrypt, bcrypt, pbkdf2_hmac with many iterations)",
                Confidence.HIGH,
            )
            return CLEAN
        if alg in WEAK_HASHES:
            data_nodes = [*node.args[1 if qn == "hashlib.new" else 0 :]]
            data_nodes += [kw.value for kw in node.keywords if kw.arg in {"data", "string"}]
            names = [
                sub.id if isinstance(sub, ast.Name) else sub.attr
                for d in data_nodes
                for sub in ast.walk(d)
                if isinstance(sub, (ast.Name, ast.Attribute))
            ]
            secret = next((n for n in names if context.is_secret_name(n)), None)
            if secret is not None:
                # md5(secret + message): a home-made MAC or signature over a broken hash.
                self.project.add_context_hit(
                    "weak-password-hash",
                    328,
                    origin,
                    f"hashlib.{alg} over the secret {secret!r} (a signature or keyed hash built "
                    "on a broken hash); use hmac with sha256",
                    Confidence.MEDIUM,
                )
                return CLEAN
            return frozenset({Label(origin)})
        return None

    def _cookie_settings(self) -> None:
        """``SESSION_COOKIE_SECURE = False`` (config assignment, config class attribute,
        ``app.config.update(...)`` keyword): every session cookie goes out without the flag."""
        for node in self.module.scope_nodes.get(LITERAL_SITES, ()):
            if isinstance(node, ast.Assign):
                if isinstance(node.value, ast.Constant) and node.value.value is False:
                    for target in node.targets:
                        self._cookie_setting(context.target_name(target), node)
            elif isinstance(node, ast.Call):
                for kw in node.keywords:
                    if isinstance(kw.value, ast.Constant) and kw.value.value is False:
                        self._cookie_setting(kw.arg, kw.value)
            elif isinstance(node, ast.Dict):
                for k, v in zip(node.keys, node.values, strict=True):
                    if (
                        isinstance(k, ast.Constant)
                        and isinstance(v, ast.Constant)
                        and v.value is False
                    ):
                        self._cookie_setting(str(k.value), v)

    def _cookie_setting(self, name: str | None, at: ast.AST) -> None:
        if name is not None and name.upper() in COOKIE_FLAG_SETTINGS:
            self._cookie_hit(at, f"{name} is False: cookies are sent without that flag")

    def _set_cookie_header(self, value: ast.expr, at: ast.AST) -> None:
        """A ``Set-Cookie`` header written by hand without Secure and HttpOnly."""
        text = self._fragments(value).lower()
        missing = [f for f in ("secure", "httponly") if f not in text]
        if missing:
            self._cookie_hit(at, f"Set-Cookie header without {' and '.join(missing)}")

    def _cookie_hit(self, at: ast.AST, message: str) -> None:
        line = getattr(at, "lineno", 0)
        self.project.add_hit(
            Hit(
                rule="cookie-without-flags",
                cwe=614,
                path=self.path,
                line=line,
                end_line=getattr(at, "end_lineno", line) or line,
                message=message,
                flow=(),
                confidence=Confidence.HIGH,
            )
        )

    def _cookie_rule(self, node: ast.Call) -> None:
        kws = {kw.arg: kw.value for kw in node.keywords}
        if None in kws:
            return  # **options: the flags may be in there
        missing = []
        for flag in ("secure", "httponly"):
            v = kws.get(flag)
            c = self._const(v) if v is not None else False
            if c is not NOT_CONST and not c:
                missing.append(flag)
        if missing:
            flags = " and ".join(f"{m}=True" for m in missing)
            self.project.add_hit(
                Hit(
                    rule="cookie-without-flags",
                    cwe=614,
                    path=self.path,
                    line=node.lineno,
                    end_line=node.end_lineno or node.lineno,
                    message=f"cookie set without {flags}",
                    flow=(),
                    confidence=Confidence.HIGH,
                )
            )


@dataclass(kw_only=True)
class ProjectState:
    hits: dict[tuple[str, str, int], Hit] = field(default_factory=dict)
    # path of the module whose analysis emitted the hit -> its hits (per-file caching).
    emitted: dict[str, dict[tuple[str, str, int], Hit]] = field(default_factory=dict)
    summaries: dict[str, Summary | None] = field(default_factory=dict)
    module_envs: dict[str, Env] = field(default_factory=dict)
    module_kinds: dict[str, dict[str, str]] = field(default_factory=dict)
    # module path -> module-level variable -> __init__ (or a method) of its project class
    module_classes: dict[str, dict[str, FunctionInfo]] = field(default_factory=dict)
    # (module path, attribute) -> what the module's functions store in flask.g.<attribute>
    flask_g: dict[tuple[str, str], Taint] = field(default_factory=dict)
    flask_g_writers: dict[str, dict[str, list[FunctionInfo]]] = field(default_factory=dict)
    # module path -> its module-level names whose writes inside its functions are tracked
    global_roots: dict[str, frozenset[str]] = field(default_factory=dict)
    # module path -> what its functions store in those names (while its environment is
    # computed), and the modules whose functions read one of them meanwhile.
    global_collect: dict[str, Env] = field(default_factory=dict)
    global_reads: dict[str, set[str]] = field(default_factory=dict)
    # Summaries of the functions of such a module during one round, and of any function
    # whose summary read such a module's provisional state (not kept: see
    # Project._scratch_summary and Project.summary).
    global_scratch: dict[str, Summary | None] = field(default_factory=dict)


class ModuleLoader(Protocol):
    """Where a :class:`Project` gets its modules: every path up front, parsed on demand."""

    def paths(self) -> Iterable[str]: ...

    def load(self, path: str) -> ModuleInfo | None:
        """The module at ``path``, or None when it cannot be analysed."""
        ...


class _Preloaded:
    def __init__(self, modules: Sequence[ModuleInfo]) -> None:
        self._modules = {m.path: m for m in modules}

    def paths(self) -> Iterable[str]:
        return self._modules.keys()

    def load(self, path: str) -> ModuleInfo | None:
        return self._modules.get(path)


class Project:
    """All modules of one scan, with lazily parsed modules, summaries and module environments.

    Only the modules an analysis reaches are parsed, so that a worker analysing a slice of a
    large repository (or a re-scan of one changed file) does not parse the whole tree.
    """

    def __init__(
        self, modules: Sequence[ModuleInfo] | ModuleLoader, models: Models, options: object
    ) -> None:
        from mamori.scan.taint.options import TaintOptions

        assert isinstance(options, TaintOptions)
        self.options = options
        self.models = models
        self.loader: ModuleLoader = (
            _Preloaded(modules) if isinstance(modules, Sequence) else modules
        )
        self.modules: dict[str, ModuleInfo] = {}
        self._unloadable: set[str] = set()
        self.by_name: dict[str, str] = {}
        self.by_suffix: dict[str, list[str]] = {}
        for path in sorted(self.loader.paths()):
            name = module_name(path)
            self.by_name.setdefault(name, path)
            parts = name.split(".")
            for i in range(len(parts)):
                self.by_suffix.setdefault(".".join(parts[i:]), []).append(path)
        self.state = ProjectState()
        self._in_progress: set[str] = set()
        self._emitter: list[str] = []
        self._fn_cache: dict[tuple[str, str], FunctionInfo | None] = {}
        self.nested_running: set[int] = set()  # nested functions being analysed in place
        self._stores_on_self: dict[int, bool] = {}
        # Files each summary / module environment consulted, transitively (for the cache: a
        # file's results depend on these files only). A stack of sets, one per computation.
        self._deps: list[set[str]] = []
        self._deps_of: dict[str, frozenset[str]] = {}
        # > 0 while analysing functions only for what they store in module-level state: their
        # findings are reported by their own summary (computations started meanwhile unmute).
        self._mute = 0
        # One set per computation under way (a summary, a module environment): the modules
        # whose provisional environment (see _global_writes) it read, directly or through a
        # callee. A summary that read one is kept for the round only, not cached: it would
        # depend on which module happened to be collecting its state when it was computed.
        self._provisional: list[set[str]] = []
        self._provisional_of: dict[str, set[str]] = {}

    def module_at(self, path: str) -> ModuleInfo | None:
        if self._deps:
            self._deps[-1].add(path)
        mod = self.modules.get(path)
        if mod is None and path not in self._unloadable:
            mod = self.loader.load(path)
            if mod is None:
                self._unloadable.add(path)
            else:
                self.modules[path] = mod
        return mod

    # ------------------------------------------------------------ results

    def add_hit(self, hit: Hit) -> None:
        if self._mute:
            return
        key = (hit.rule, hit.path, hit.line)
        _keep(self.state.hits, key, hit)
        emitter = self._emitter[-1] if self._emitter else hit.path
        _keep(self.state.emitted.setdefault(emitter, {}), key, hit)

    def add_context_hit(
        self, rule: str, cwe: int, origin: Origin, message: str, confidence: Confidence
    ) -> None:
        self.add_hit(
            Hit(
                rule=rule,
                cwe=cwe,
                path=origin.path,
                line=origin.line,
                end_line=origin.line,
                message=message,
                flow=(),
                confidence=confidence,
            )
        )

    # ------------------------------------------------------------ resolution

    def module_path_for(self, importer: ModuleInfo, dotted: str) -> str | None:
        cands = self.by_suffix.get(dotted)
        if not cands:
            return None
        if len(cands) == 1:
            return cands[0]
        top = importer.path.split("/")[0]
        same = [c for c in cands if c.split("/")[0] == top]
        return (same or cands)[0]

    def _module_for(self, importer: ModuleInfo, dotted: str) -> ModuleInfo | None:
        path = self.module_path_for(importer, dotted)
        return None if path is None else self.module_at(path)

    def _function_by_qualname(self, importer: ModuleInfo, qn: str) -> FunctionInfo | None:
        # The answer depends on the importer only through its top-level directory.
        key = (importer.path.split("/", 1)[0], qn)
        if key in self._fn_cache:
            return self._fn_cache[key]
        found = self._find_function(importer, qn)
        self._fn_cache[key] = found
        return found

    def _find_function(self, importer: ModuleInfo, qn: str) -> FunctionInfo | None:
        # An exact module name first ("portal.auth" + "login"), then by suffix: "portal.security
        # .hash_password" when the file is "app/portal/security.py".
        mod_part, _, fname = qn.rpartition(".")
        while mod_part:
            exact = self.by_name.get(mod_part)
            if exact is not None:
                m = self.module_at(exact)
                if m is not None and fname in m.functions:
                    return m.functions[fname]
            mod_part, _, rest = mod_part.rpartition(".")
            fname = f"{rest}.{fname}"
        mod_part, _, fname = qn.rpartition(".")
        while mod_part:
            m = self._module_for(importer, mod_part)
            if m is not None and fname in m.functions:
                return m.functions[fname]
            mod_part, _, rest = mod_part.rpartition(".")
            fname = f"{rest}.{fname}"
        return None

    def imported_paths(self, mod: ModuleInfo) -> frozenset[str]:
        """Project files ``mod`` imports from (the longest module prefix of each import)."""
        found: set[str] = set()
        for dotted in mod.aliases.values():
            name = dotted
            while name:
                path = self.module_path_for(mod, name)
                if path is not None:
                    if path != mod.path:
                        found.add(path)
                    break
                name = name.rpartition(".")[0]
        return frozenset(found)

    def resolve_function(
        self, module: ModuleInfo, func: ast.expr, analyser: FunctionAnalyser
    ) -> FunctionInfo | None:
        if (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Name)
            and func.value.id in {"self", "cls"}
        ):
            fi = analyser.func
            if fi is not None and fi.class_name is not None:
                return module.functions.get(f"{fi.class_name}.{func.attr}")
            return None
        if isinstance(func, ast.Attribute):
            init: FunctionInfo | None = None
            if isinstance(func.value, ast.Name):
                init = analyser.var_class.get(func.value.id)
                if init is None and func.value.id not in analyser.locals:
                    # A module-level instance: `repo = UserRepository(...)` used in a view.
                    init = self.state.module_classes.get(module.path, {}).get(func.value.id)
            elif isinstance(func.value, ast.Call):
                init = self.class_anchor(module, func.value.func, analyser)
            if init is not None and init.class_name is not None:
                return init.module.functions.get(f"{init.class_name}.{func.attr}")
        qn = analyser._qualname(func)
        if qn is None or qn.startswith("builtins."):
            return None
        return self._function_by_qualname(module, qn)

    def class_anchor(
        self, module: ModuleInfo, func: ast.expr, analyser: FunctionAnalyser
    ) -> FunctionInfo | None:
        """A method of the project class that ``func`` names (its ``__init__`` when it has
        one), standing for the class when resolving calls on its instances."""
        init = self.constructor(module, func, analyser)
        if init is not None:
            return init
        qn = analyser._qualname(func)
        if qn is None or qn.startswith("builtins."):
            return None
        mod_part, _, cls = qn.rpartition(".")
        target = self.module_at(self.by_name[mod_part]) if mod_part in self.by_name else None
        if target is None and mod_part:
            target = self._module_for(module, mod_part)
        if target is None or cls not in target.classes:
            return None
        prefix = cls + "."
        for local, fi in target.functions.items():
            if local.startswith(prefix) and fi.class_name == cls:
                return fi
        return None

    def constructor(
        self, module: ModuleInfo, func: ast.expr, analyser: FunctionAnalyser
    ) -> FunctionInfo | None:
        """The ``__init__`` of the project class that ``func`` names, if any."""
        qn = analyser._qualname(func)
        if qn is None or qn.startswith("builtins."):
            return None
        fi = self._function_by_qualname(module, qn + ".__init__")
        if fi is None or fi.class_name is None:
            return None
        return fi

    # ------------------------------------------------------------ analysis

    def _used(self, key: str) -> None:
        if self._deps:
            self._deps[-1].update(self._deps_of.get(key, ()))

    def module_env(self, mod: ModuleInfo) -> Env:
        key = "env@" + mod.path
        env = self.state.module_envs.get(mod.path)
        if env is None:
            self.state.module_envs[mod.path] = {}  # guard against import cycles
            self._emitter.append(mod.path)
            self._deps.append({mod.path})
            self._provisional.append(set())
            mute, self._mute = self._mute, 0
            try:
                env = FunctionAnalyser(self, mod, None, {}).run_module()
                env = self._global_writes(mod, env)
            finally:
                self._mute = mute
                self._emitter.pop()
                self._deps_of[key] = frozenset(self._deps.pop())
                # Its own provisional state is settled now; another module's is not.
                self._read_provisional(self._provisional.pop() - {mod.path})
            self.state.module_envs[mod.path] = env
        elif mod.path in self.state.global_collect:
            self._read_provisional({mod.path})
        self._used(key)
        return env

    def summary(self, fi: FunctionInfo) -> Summary | None:
        key = fi.qualname + "@" + fi.module.path
        if key in self.state.summaries:
            self._used(key)
            return self.state.summaries[key]
        if key in self._in_progress:
            return None  # recursion: the call site falls back to the default propagation
        if fi.module.path in self.state.global_collect:
            self._read_provisional({fi.module.path})
            return self._scratch_summary(fi, key)
        scratch = self.state.global_scratch
        if key in scratch:
            self._read_provisional(self._provisional_of.get(key, set()))
            return scratch[key]
        self._in_progress.add(key)
        self._deps.append({fi.module.path})
        self._provisional.append(set())
        read: set[str] = set()
        try:
            env = self.module_env(fi.module)
            self._emitter.append(fi.module.path)
            mute, self._mute = self._mute, 0
            try:
                analyser = FunctionAnalyser(self, fi.module, fi, env)
                result = analyser.run_function()
            finally:
                self._mute = mute
                self._emitter.pop()
        finally:
            self._in_progress.discard(key)
            self._deps_of[key] = frozenset(self._deps.pop())
            read = self._provisional.pop()
            self._read_provisional(read)
        if read:
            # It read the state of a module being collected: valid for this round only.
            scratch[key] = result
            self._provisional_of[key] = read
            return result
        self.state.summaries[key] = result
        self._used(key)
        return result

    def _read_provisional(self, paths: set[str]) -> None:
        if paths and self._provisional:
            self._provisional[-1].update(paths)

    def provisional(self, fi: FunctionInfo) -> frozenset[str]:
        """The modules whose module-level state, still being collected, the last summary of
        ``fi`` read (empty when it is cached; see :meth:`summary`)."""
        key = fi.qualname + "@" + fi.module.path
        if key in self.state.summaries or key not in self.state.global_scratch:
            return frozenset()
        return frozenset(self._provisional_of.get(key) or {fi.module.path})

    def _scratch_summary(self, fi: FunctionInfo, key: str) -> Summary | None:
        """The summary of a function of a module whose module-level stores are being
        collected (a view that stores, then calls the view that renders): computed against
        the current approximation of the module's state, kept for the round only, and with
        its findings left to the summary computed once the state is known."""
        scratch = self.state.global_scratch
        if key in scratch:
            return scratch[key]
        self._provisional_of.pop(key, None)
        self._in_progress.add(key)
        self._emitter.append(fi.module.path)
        self._mute += 1
        try:
            env = self.state.module_envs.get(fi.module.path, {})
            result = FunctionAnalyser(self, fi.module, fi, env).run_function()
        finally:
            self._mute -= 1
            self._emitter.pop()
            self._in_progress.discard(key)
        scratch[key] = result
        return result

    def stores_on_self(self, fi: FunctionInfo) -> bool:
        key = id(fi.node)
        found = self._stores_on_self.get(key)
        if found is None:
            found = self._stores_on_self[key] = _stores_on_self(fi, self.models)
        return found

    def record_flask_g(self, mod: ModuleInfo, attr: str, taint: Taint) -> None:
        """A function of ``mod`` stores ``taint`` in ``flask.g.<attr>``. Symbolic parameter
        labels mean nothing outside the function and are dropped."""
        kept = frozenset(lb for lb in taint if lb.origin.category != "param")
        key = (mod.path, attr)
        self.state.flask_g[key] = union(self.state.flask_g.get(key, CLEAN), kept)

    def flask_g_value(self, mod: ModuleInfo, attr: str) -> Taint:
        """What the functions of ``mod`` store in ``flask.g.<attr>`` (analysing them first)."""
        writers = self.state.flask_g_writers.get(mod.path)
        if writers is None:
            writers = self.state.flask_g_writers[mod.path] = _flask_g_writers(mod)
        for fi in writers.get(attr, ()):
            self.summary(fi)
        return self.state.flask_g.get((mod.path, attr), CLEAN)

    def _global_writes(self, mod: ModuleInfo, env: Env) -> Env:
        """``env`` (the module body's environment) with what the module's functions store in
        its module-level state: a list one view appends request data to and another renders,
        a ``global`` rebound in a setup function. Flow-insensitive (any write may precede any
        read) and per access path (``CACHE["k"]`` apart from ``CACHE["j"]``, a store under a
        computed key reaches them all); iterated until what is stored stops changing, since a
        function may store what it read from another global. Same module only: a name
        imported from another module keeps the value its module body gave it."""
        instances = self.state.module_classes.get(mod.path, {})
        roots = _module_state(mod, instances)
        self.state.global_roots[mod.path] = roots
        writers = (
            _global_writers(mod, roots, instances, self.models, self.stores_on_self)
            if roots
            else []
        )
        # The module's functions are analysed for what they store whatever computations are
        # under way: this environment may be computed first inside the summary of one of
        # them, or of a function of a module it calls, whose recursion guard would otherwise
        # leave the stores it reaches unseen (and every value computed meanwhile dependent on
        # what else happened to be under way).
        if not writers:
            return env
        in_progress, self._in_progress = self._in_progress, set()
        try:
            return self._collect_writes(mod, env, writers)
        finally:
            self._in_progress = in_progress

    def _collect_writes(self, mod: ModuleInfo, env: Env, writers: list[FunctionInfo]) -> Env:
        writes: Env = {}
        approx = env
        callers_added = False
        for _ in range(GLOBAL_ROUNDS):
            if not writers:
                break
            collect: Env = {}
            self.state.global_collect[mod.path] = collect
            self.state.global_scratch.clear()
            self._provisional_of.clear()
            reads = self.state.global_reads[mod.path] = set()
            self.state.module_envs[mod.path] = approx  # what a callee in the module sees
            self._mute += 1
            passes_params = False
            try:
                for fi in writers:
                    analyser = FunctionAnalyser(self, mod, fi, approx)
                    analyser.run_function()
                    passes_params = passes_params or bool(analyser.global_stores)
            finally:
                self._mute -= 1
                del self.state.global_collect[mod.path]
                self.state.global_scratch.clear()
                self._provisional_of.clear()
            merged = dict(writes)
            for path, t in collect.items():
                merged[path] = union(merged.get(path, CLEAN), t)
            changed = {_root_of(p) for p, t in merged.items() if writes.get(p) != t}
            writes = merged
            approx = _with_writes(env, writes)
            more = passes_params and not callers_added
            if more:
                # save(request.form["t"]) where save() appends its parameter to a global.
                callers_added = True
                writers = _with_callers(mod, writers)
            elif not changed & reads:
                break  # no function read what changed: another round would see the same
        self.state.global_reads.pop(mod.path, None)
        return approx

    def store_global(self, mod_path: str, path: str, taint: Taint) -> None:
        collect = self.state.global_collect.get(mod_path)
        if collect is not None:
            collect[path] = union(collect.get(path, CLEAN), taint)

    def read_global(self, mod_path: str, root: str) -> None:
        reads = self.state.global_reads.get(mod_path)
        if reads is not None:
            reads.add(root)

    def depends_on(self, mod: ModuleInfo) -> frozenset[str]:
        """The files the analysis of ``mod`` (its body and functions) consulted, transitively;
        call after :meth:`run_module`."""
        out: set[str] = set(self._deps_of.get("env@" + mod.path, ()))
        for fi in mod.functions.values():
            out.update(self._deps_of.get(fi.qualname + "@" + fi.module.path, ()))
        out.discard(mod.path)
        return frozenset(out)

    def run_module(self, mod: ModuleInfo) -> None:
        """Analyse ``mod`` and every function in it (summaries of callees on demand)."""
        self.module_env(mod)
        for fi in mod.functions.values():
            self.summary(fi)

    def entry_point_hits(self, fi: FunctionInfo) -> list[tuple[str, Hit]]:
        """Candidate findings of public function ``fi`` whose parameters reach an injection
        sink, each with the function's name: they count only when no file of the project
        refers to that name (the caller filters; see ``module.referenced_names``). A finding
        says the value comes from a caller of the public function, with MEDIUM confidence.
        They depend on ``fi``'s summary only."""
        out: list[tuple[str, Hit]] = []
        eligible = entry_point_params(fi)
        if not eligible:
            return []
        summary = self.summary(fi)
        if summary is None:
            return []
        seen: set[tuple[str, str, int]] = set()
        sinks = (*summary.param_sinks, *summary.html_returns)
        for ps in (ps for i in eligible for ps in sinks if ps.param == i):
            name = fi.params[ps.param]
            if ps.cwe not in ENTRY_POINT_CWES or (
                ps.cwe in LOCATION_CWES and WHOLE_LOCATION_PARAM.search(name)
            ):
                continue
            key = (ps.rule, ps.path, ps.line)
            if key in seen:
                continue
            seen.add(key)
            public = fi.local_name
            source = step(
                fi.module.path, fi.node.lineno, f"source: parameter {name!r} of {public}()"
            )
            hit = Hit(
                rule=ps.rule,
                cwe=ps.cwe,
                path=ps.path,
                line=ps.line,
                end_line=ps.end_line,
                message=f"parameter {name!r} reaches {ps.sink}; the value comes from a "
                f"caller of the public function `{public}`",
                flow=(source, *ps.steps),
                confidence=Confidence.MEDIUM,
            )
            out.append((fi.node.name, hit))
        return out

    def emitted_by(self, path: str) -> list[Hit]:
        """The hits that the analysis of the module at ``path`` reported (sorted)."""
        return sorted(
            self.state.emitted.get(path, {}).values(), key=lambda h: (h.path, h.line, h.rule)
        )

    def run(self) -> list[Hit]:
        for path in sorted(self.loader.paths()):
            mod = self.module_at(path)
            if mod is not None:
                self.run_module(mod)
        return sorted(self.state.hits.values(), key=lambda h: (h.path, h.line, h.rule))


def _class_allows(body: str, char: str) -> bool:
    """Whether the regex character class ``[body]`` matches ``char``."""
    try:
        return re.fullmatch(f"[{body}]", char) is not None
    except re.error:
        return True


def _stores_on_self(fi: FunctionInfo, models: Models) -> bool:
    """True when the method stores into its first parameter: assigns one of its attributes
    (``self.x = ...``) or an element of one (``self.items[k] = ...``), or adds to one
    (``self.items.append(...)``)."""
    params = fi.params
    if not params:
        return False
    me = params[0]
    for sub in ast.walk(fi.node):
        if (
            isinstance(sub, (ast.Attribute, ast.Subscript))
            and isinstance(sub.ctx, ast.Store)
            and _root_name(sub) == me
        ):
            return True
        if (
            isinstance(sub, ast.Call)
            and isinstance(sub.func, ast.Attribute)
            and isinstance(sub.func.value, ast.Attribute)
            and _root_name(sub.func.value) == me
            and models.propagators_by_method.get(sub.func.attr) == "args-to-receiver"
        ):
            return True
    return False


def _flask_g_writers(mod: ModuleInfo) -> dict[str, list[FunctionInfo]]:
    """attribute -> the functions of ``mod`` that assign ``g.<attribute>``."""
    g_names = {name for name, qn in mod.aliases.items() if qn in FLASK_G}
    flask_names = {name for name, qn in mod.aliases.items() if qn == "flask"}
    out: dict[str, list[FunctionInfo]] = {}
    for fi in mod.functions.values():
        for sub in ast.walk(fi.node):
            if not (isinstance(sub, ast.Attribute) and isinstance(sub.ctx, ast.Store)):
                continue
            base = sub.value
            if (isinstance(base, ast.Name) and base.id in g_names) or (
                isinstance(base, ast.Attribute)
                and base.attr == "g"
                and isinstance(base.value, ast.Name)
                and base.value.id in flask_names
            ):
                writers = out.setdefault(sub.attr, [])
                if fi not in writers:
                    writers.append(fi)
    return out


def _module_state(mod: ModuleInfo, instances: Mapping[str, FunctionInfo]) -> frozenset[str]:
    """Module-level names that hold state the module's functions may change: containers
    (``COMMENTS = []``, ``CACHE = defaultdict(list)``), plain values and instances of project
    classes, and any name a function declares ``global``. Not imports, functions, classes or
    other objects (an ORM session, a client), whose methods do not keep what they are given
    for the module's other functions to read."""
    names: set[str] = set(instances)

    def state_value(value: ast.expr) -> bool:
        if isinstance(value, STATE_LITERALS):
            return True
        if isinstance(value, ast.Call):
            func = value.func
            if isinstance(func, ast.Name) and func.id in mod.classes:
                return True
            qn = _static_qualname(mod, func)
            return qn is not None and qn in STATE_CALLS
        return False

    todo: list[ast.stmt] = list(mod.tree.body)
    while todo:
        stmt = todo.pop()
        if isinstance(stmt, (ast.If, ast.Try)):
            todo.extend(stmt.body)
            todo.extend(stmt.orelse)
            if isinstance(stmt, ast.Try):
                todo.extend(stmt.finalbody)
                for h in stmt.handlers:
                    todo.extend(h.body)
            continue
        if isinstance(stmt, ast.Assign):
            targets, value = stmt.targets, stmt.value
        elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
            targets, value = [stmt.target], stmt.value
        else:
            continue
        if state_value(value):
            names.update(t.id for t in targets if isinstance(t, ast.Name))
    for node in mod.scope_nodes.get(0, ()):  # the binding nodes of the module and its functions
        if isinstance(node, ast.Global):
            names.update(node.names)
    # Class attributes used as shared state: ``Board.comments.append(x)``.
    names.update(mod.classes)
    return frozenset(n for n in names if n not in mod.aliases and n not in mod.functions)


def _static_qualname(
    mod: ModuleInfo, node: ast.expr, local_names: Collection[str] = ()
) -> str | None:
    """Fully qualified name of a Name/Attribute chain rooted at a module-level name of ``mod``
    (an import, a definition, a builtin); None when rooted at one of ``local_names``."""
    attrs: list[str] = []
    while isinstance(node, ast.Attribute):
        attrs.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name) or node.id in local_names:
        return None
    base = resolve_name(mod, node.id)
    return ".".join([base, *reversed(attrs)]) if base else None


def _container_base(node: ast.expr) -> str | None:
    """The access path of the container an element of which ``node`` is (``BOARD`` for
    ``BOARD[post_id]`` and ``BOARD.setdefault(post_id, [])``)."""
    while True:
        path = _path_of(node)
        if path is not None:
            return path
        if isinstance(node, ast.Subscript):
            node = node.value
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in {"setdefault", "get", "__getitem__"}
        ):
            node = node.func.value
        else:
            return None


def _root_of(path: str) -> str:
    return re.split(r"[.\[]", path, maxsplit=1)[0]


def _root_name(node: ast.expr) -> str | None:
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def _global_writers(
    mod: ModuleInfo,
    roots: frozenset[str],
    instances: Mapping[str, object],
    models: Models,
    stores_on_self: Callable[[FunctionInfo], bool] | None = None,
) -> list[FunctionInfo]:
    """The functions of ``mod`` that may store into one of ``roots`` (a superset).
    ``stores_on_self``: the project's cached :func:`_stores_on_self`."""
    if stores_on_self is None:
        stores_on_self = functools.partial(_stores_on_self, models=models)
    mutators = {
        m for m, effect in models.propagators_by_method.items() if effect == "args-to-receiver"
    }
    instances = {n: i for n, i in instances.items() if _may_keep(mod, i, stores_on_self)}
    if not _may_store(mod, roots, instances, mutators):
        return []
    out: list[FunctionInfo] = []
    for fi in mod.functions.values():
        declared = {n for sub in _body_nodes(fi) if isinstance(sub, ast.Global) for n in sub.names}
        for sub in _body_nodes(fi):
            if isinstance(sub, (ast.Subscript, ast.Attribute)) and isinstance(sub.ctx, ast.Store):
                found = _root_name(sub) in roots
            elif isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Store):
                found = sub.id in declared
            elif isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute):
                root = _root_name(sub.func.value)
                found = root in roots and (sub.func.attr in mutators or root in instances)
            else:
                found = False
            if found:
                out.append(fi)
                break
    return out


def _may_keep(
    mod: ModuleInfo, init: object, stores_on_self: Callable[[FunctionInfo], bool]
) -> bool:
    """Whether a method call on a module-level instance (``init``: its class's ``__init__``)
    may store its arguments in the instance: a class of ``mod`` without base classes none of
    whose methods but ``__init__`` stores into ``self`` does not (a facade that forwards,
    like Django's ``translation._trans``). Any other class may (its methods are out of
    sight, or inherited)."""
    if not isinstance(init, FunctionInfo) or init.module is not mod or init.class_name is None:
        return True
    cls = init.class_name
    if any(b not in (None, "object") for b in mod.class_bases.get(cls, ())):
        return True
    return any(
        fi.class_name == cls and fi.node.name != "__init__" and stores_on_self(fi)
        for fi in dict.values(mod.functions)
    )


def _body_nodes(fi: FunctionInfo) -> Iterator[ast.AST]:
    """The nodes of the body of ``fi``: not its decorators, defaults and annotations, which
    run once, in the module body (``@register.filter(is_safe=True)`` stores nothing when the
    filter runs)."""
    for stmt in fi.node.body:
        yield from ast.walk(stmt)


def _may_store(
    mod: ModuleInfo, roots: frozenset[str], instances: Mapping[str, object], mutators: set[str]
) -> bool:
    """Whether any function of ``mod`` may store into ``roots``, from the indexes built with
    the module (calls and assignments anywhere, ``global`` statements): walking every
    function of every module costs more than the analysis of the few that store."""
    if any(isinstance(n, ast.Global) for n in mod.scope_nodes.get(0, ())):
        return True
    for node in mod.scope_nodes.get(LITERAL_SITES, ()):
        if isinstance(node, ast.Call):
            f = node.func
            if (
                isinstance(f, ast.Attribute)
                and (root := _root_name(f.value)) in roots
                and (f.attr in mutators or root in instances)
            ):
                return True
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for t in targets:
                for sub in ast.walk(t):
                    if isinstance(sub, (ast.Subscript, ast.Attribute)) and _root_name(sub) in roots:
                        return True
    return False


def _with_callers(mod: ModuleInfo, writers: list[FunctionInfo]) -> list[FunctionInfo]:
    """``writers`` and the functions of ``mod`` that call one of them (by name), transitively."""
    chosen = {id(fi) for fi in writers}
    names = {fi.node.name for fi in writers}
    grew = True
    while grew:
        grew = False
        for fi in mod.functions.values():
            if id(fi) in chosen:
                continue
            for sub in _body_nodes(fi):
                if not isinstance(sub, ast.Call):
                    continue
                f = sub.func
                name = (
                    f.id
                    if isinstance(f, ast.Name)
                    else (f.attr if isinstance(f, ast.Attribute) else None)
                )
                if name in names:
                    chosen.add(id(fi))
                    names.add(fi.node.name)
                    grew = True
                    break
    return [fi for fi in mod.functions.values() if id(fi) in chosen]


def _with_writes(env: Env, writes: Mapping[str, Taint]) -> Env:
    """``env`` where each path of ``writes`` may also hold what was stored there (a store at a
    path reaches the values under it: ``CACHE[k] = x`` with an unknown ``k``)."""
    out = dict(env)
    for path, t in writes.items():
        dot, br = path + ".", path + "["
        for k in [k for k in out if k.startswith(dot) or k.startswith(br)]:
            out[k] = union(out[k], t)
        before = out.get(path)
        if before is None:
            before = next((out[p] for p in _prefixes(path) if p in out), CLEAN)
        out[path] = union(before, t)
    return out


def _keep(hits: dict[tuple[str, str, int], Hit], key: tuple[str, str, int], hit: Hit) -> None:
    """Of the hits at one place, keep the most confident, then the one with the shortest flow
    (then by its steps and message): whatever order the analysis met them in."""
    old = hits.get(key)
    if old is None or _hit_order(hit) < _hit_order(old):
        hits[key] = hit


def _hit_order(hit: Hit) -> tuple[object, ...]:
    steps = tuple((s.location.path, s.location.start_line, s.message) for s in hit.flow)
    return (-hit.confidence.rank, len(hit.flow), steps, hit.message, hit.end_line)
