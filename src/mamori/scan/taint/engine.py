"""Running the analysis: lazy parsing, worker processes, a per-file cache.

The unit of work is one file ("root"): its module body and every function in it, with the
summaries of the functions it calls computed on demand (and parsed on demand: a worker parses
only the files its roots reach). Roots are split across processes (``fork``, so the texts are
shared, not copied) when there are enough of them to pay for the processes.

The cache keeps each file's hits under its content hash and the *values* its analysis consumed
from other files, not those files' whole text: the summaries of the functions it called, the
module environments behind them, and the interfaces (function names and signatures) of the
modules it resolved names in. Each value is recorded as a fingerprint, together with the files
that value was computed from. A re-scan re-analyses a file when its own text changed; when a
file behind one of its consumed values changed, it recomputes just that value (a summary is
much cheaper than a file) and re-analyses the file only if the fingerprint differs. So editing
the body of a popular helper re-analyses its dependents only when the edit changed what they
used of it. Values computed under a recursion guard depend on what else was being computed at
the time; a file that consumed one falls back to depending on the whole text of every file
behind it ("hard" dependencies), as does a file whose own analysis ran under such a guard.

Name resolution depends on the set of files, and reaches the analysis only through the
project's two name indexes (module name -> path, dotted suffix -> paths). Every lookup in them
is recorded with its answer, failed ones included ("module a.b is not in the project"),
transitively through the values a file consumed. After files are added or removed, a cached
file is re-analysed only when one of its lookups gets a different answer: adding a module
nobody imports re-analyses that module alone; deleting one re-analyses what resolved names in
it; a new package ``__init__`` re-analyses what looked the package up.
"""

from __future__ import annotations

import ast
import dataclasses
import enum
import hashlib
import json
import multiprocessing
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from mamori.domain import Confidence, FlowStep, Location
from mamori.scan.source import SourceFile
from mamori.scan.taint.analysis import Env, Hit, Project, Summary
from mamori.scan.taint.context import find_hardcoded_secrets
from mamori.scan.taint.downlevel import DownlevelError, parse_any
from mamori.scan.taint.labels import Origin
from mamori.scan.taint.models import Models
from mamori.scan.taint.module import (
    LITERAL_SITES,
    FunctionInfo,
    ModuleInfo,
    build_module,
    referenced_names,
)
from mamori.scan.taint.options import TaintOptions

__all__ = ["FileResult", "run_analysis"]

_TEST_FILE = re.compile(
    r"(^|/)(tests?|testing)/|(^|/)test_[^/]*\.py$|_test\.py$|(^|/)conftest\.py$"
)
# Below this many files to analyse, starting processes costs more than it saves (re-checked on
# Django re-scans of 15-17 files: 12 was no faster on 2 CPUs). The workers are forked from the
# process that checked the cache, so they start with the modules and summaries it computed.
_MIN_PARALLEL = 48
_CACHE_FORMAT = 4


@dataclass(frozen=True, slots=True, kw_only=True)
class FileResult:
    """What analysing one file as a root produced, and what it depended on."""

    hits: tuple[Hit, ...]
    # Every other project file its analysis depended on, directly or not.
    imports: frozenset[str]
    skipped: str | None  # why it could not be analysed
    # Values consumed from other files: fact key -> fingerprint (see ``_TrackedProject``).
    facts: Mapping[str, str] = dataclasses.field(default_factory=dict)
    # Files any change of which re-analyses it (values computed under a recursion guard).
    hard: frozenset[str] = frozenset()
    # Fact key -> the files that value was computed from.
    supports: Mapping[str, frozenset[str]] = dataclasses.field(default_factory=dict)
    # Module-name lookups its analysis made, transitively, and their answers (see
    # ``_WatchedIndex``): what must not change when files are added or removed.
    lookups: Mapping[str, str] = dataclasses.field(default_factory=dict)
    # Entry-point candidates: (public function name, hit), reported only when no file of the
    # scan refers to that name; and the names this file refers to (none for a test file).
    # Both depend on the file's own text and the summaries it consumed only, so they are
    # cached like the hits; the filter runs on every scan over the whole set (``_entry_hits``).
    entry_hits: tuple[tuple[str, Hit], ...] = ()
    references: frozenset[str] = frozenset()


# ------------------------------------------------------------------ fingerprints of values

# What another file can learn about a module without reading a function's body (bodies are
# consulted through summaries, fingerprinted separately): whether it loads, its name and classes
# (``m:`` facts), and each function it looks up by name, signature and decorators (``f:``
# facts; ``a:`` when it lists them all). Aliases and constants are read only by the module's
# own analysis, so adding an import or a function to a helper module does not invalidate
# every file that resolved a name in it.
_MODULE_INTERFACE = ("name", "is_package", "classes")
_NOT_INTERFACE = frozenset({"node", "module"})


# Line numbers are left out of fingerprints (see ``_canon``).
_LINE_FIELDS = frozenset({"line", "end_line", "start_line", "start_col", "end_col"})


def _canon(x: object) -> object:
    """A hashable, order-independent (sets sorted), process-independent form of ``x``: every
    dataclass field counts, including the flow steps that label equality ignores, except line
    numbers. A consumer's hits carry the lines of another file only in their location and flow
    steps, which name that file, so a cached file whose hits name a changed file is re-analysed
    anyway (``_still_valid``); and a parameter's origin line is never read by a caller (the
    caller substitutes its argument). Other origins keep their line: it is part of a label's
    identity, so moving it can merge or split labels."""
    if x is None or isinstance(x, (str, int, float, bytes)):
        return x
    if isinstance(x, enum.Enum):
        return repr(x.value)
    if dataclasses.is_dataclass(x) and not isinstance(x, type):
        keep_lines = isinstance(x, Origin) and x.category != "param"
        return (
            type(x).__name__,
            tuple(
                _canon(getattr(x, f.name))
                for f in dataclasses.fields(x)
                if keep_lines or f.name not in _LINE_FIELDS
            ),
        )
    if isinstance(x, (frozenset, set)):
        return ("set", tuple(sorted((_canon(v) for v in x), key=repr)))
    if isinstance(x, (tuple, list)):
        return tuple(_canon(v) for v in x)
    if isinstance(x, dict):
        return ("dict", tuple(sorted((repr(_canon(k)), _canon(v)) for k, v in x.items())))
    if isinstance(x, ast.AST):
        return ast.dump(x)  # without line numbers
    return repr(x)


def _fingerprint(x: object) -> str:
    return hashlib.sha256(repr(_canon(x)).encode("utf-8", "surrogatepass")).hexdigest()[:20]


def _module_interface(mod: ModuleInfo | None) -> object:
    if mod is None:
        return None
    return tuple((name, _canon(getattr(mod, name))) for name in _MODULE_INTERFACE)


def _function_interface(fi: FunctionInfo | None) -> object:
    if fi is None:
        return None
    return (
        tuple(
            (f.name, _canon(getattr(fi, f.name)))
            for f in dataclasses.fields(fi)
            if f.name not in _NOT_INTERFACE
        ),
        ast.dump(fi.node.args),  # without line numbers
        tuple(ast.dump(d) for d in fi.node.decorator_list),
    )


def _functions_interface(mod: ModuleInfo | None) -> object:
    if mod is None:
        return None
    return tuple((k, _function_interface(v)) for k, v in sorted(dict.items(mod.functions)))


class _WatchedFunctions(dict[str, FunctionInfo]):
    """A module's function table that tells the project which names other files look up."""

    def __init__(self, data: Mapping[str, FunctionInfo], path: str, project: _TrackedProject):
        super().__init__(data)
        self.path = path
        self.project = project

    def __contains__(self, name: object) -> bool:
        self.project.saw_function(self.path, str(name))
        return super().__contains__(name)

    def __getitem__(self, name: str) -> FunctionInfo:
        self.project.saw_function(self.path, name)
        return super().__getitem__(name)

    def get(self, name: str, default: FunctionInfo | None = None) -> FunctionInfo | None:  # type: ignore[override]
        self.project.saw_function(self.path, name)
        return super().get(name, default)

    def items(self):  # type: ignore[no-untyped-def]
        self.project.saw_functions(self.path)
        return super().items()

    def values(self):  # type: ignore[no-untyped-def]
        self.project.saw_functions(self.path)
        return super().values()

    def keys(self):  # type: ignore[no-untyped-def]
        self.project.saw_functions(self.path)
        return super().keys()

    def __iter__(self):  # type: ignore[no-untyped-def]
        self.project.saw_functions(self.path)
        return super().__iter__()


_V = TypeVar("_V")
# A lookup key recorded when the lookups behind a value are unknown: any change of the set of
# files re-analyses the consumer.
_ANY_LOOKUP = "*"


class _WatchedIndex(dict[str, _V]):
    """A name index of the project (``by_name``: module name -> path, ``by_suffix``: dotted
    suffix -> paths) that records every lookup and its answer, failed ones included ("module
    a.b is not in the project"). These answers are the only way the set of files reaches the
    results: a cached file stays valid after files are added or removed when every lookup its
    analysis made (through the values it consumed too) gets the same answer."""

    def __init__(self, data: Mapping[str, _V], prefix: str, project: _TrackedProject):
        super().__init__(data)
        self.prefix = prefix
        self.project = project

    def answer(self, name: str) -> str:
        found = super().get(name)
        if found is None:
            return ""
        return "\n".join(found) if isinstance(found, list) else str(found)

    def __contains__(self, name: object) -> bool:
        self.project.saw_lookup(self.prefix + str(name), self.answer(str(name)))
        return super().__contains__(name)

    def __getitem__(self, name: str) -> _V:
        self.project.saw_lookup(self.prefix + name, self.answer(name))
        return super().__getitem__(name)

    def get(self, name: str, default: _V | None = None) -> _V | None:  # type: ignore[override]
        self.project.saw_lookup(self.prefix + name, self.answer(name))
        return super().get(name, default)


def _fact_path(key: str) -> str:
    """The file a fact key belongs to: ``m:<path>``, ``a:<path>``, ``e:<path>`` (module
    environment), ``f:<local name>@<path>``, ``s:<qualname>@<path>`` (summary)."""
    kind, _, rest = key.partition(":")
    return rest.partition("@")[2] if kind in ("s", "f") else rest


class _Frame:
    """What one computation (a module environment, a function summary) consulted so far."""

    __slots__ = ("facts", "files", "hard", "lookups", "open", "path")

    def __init__(self, path: str | None) -> None:
        self.path = path
        self.facts: dict[str, str] = {}
        self.lookups: dict[str, str] = {}  # transitive, unlike facts
        self.files: set[str] = set() if path is None else {path}
        self.hard: set[str] = set()
        self.open: set[str] = set()  # keys in progress whose recursion guard it ran into

    def merge(self, other: _Frame) -> None:
        self.files |= other.files
        self.hard |= other.hard
        self.open |= other.open
        self.lookups.update(other.lookups)
        for k, v in other.facts.items():
            if _fact_path(k) != self.path:
                self.facts[k] = v


@dataclass(frozen=True, slots=True)
class _Record:
    facts: Mapping[str, str]  # values of other files consumed directly
    files: frozenset[str]  # every file the value was computed from, its own included
    hard: frozenset[str]
    open: frozenset[str]  # non-empty: computed under an enclosing computation's guard
    lookups: Mapping[str, str]  # every name lookup behind the value, and its answer


class _TrackedProject(Project):
    """A :class:`Project` that records, per computation, the values it consumed from other
    files and their fingerprints (the dependencies of the per-file cache), and recomputes a
    value's fingerprint on request (to check a cached file against the current tree)."""

    def __init__(self, loader: _Loader, models: Models, options: TaintOptions) -> None:
        super().__init__(loader, models, options)
        self._frames: list[_Frame] = []
        self.records: dict[str, _Record] = {}
        self._fps: dict[str, str] = {}
        self._envs_running: set[str] = set()
        self._resolved: dict[tuple[str, str], _Frame] = {}
        self._by_qualname: dict[str, dict[str, FunctionInfo]] = {}
        self.by_name = _WatchedIndex(self.by_name, "n:", self)
        self.by_suffix = _WatchedIndex(self.by_suffix, "x:", self)

    # -------------------------------------------------------------- recording

    def _fp(self, key: str, value: Callable[[], object]) -> str:
        fp = self._fps.get(key)
        if fp is None:
            fp = self._fps[key] = _fingerprint(value())
        return fp

    def _push(self, path: str) -> None:
        self._frames.append(_Frame(path))

    def _pop(self, key: str) -> None:
        f = self._frames.pop()
        self.records[key] = _Record(
            facts=f.facts,
            files=frozenset(f.files),
            hard=frozenset(f.hard),
            open=frozenset(f.open - {key}),
            lookups=f.lookups,
        )

    def _consume(self, key: str, value: Callable[[], object]) -> None:
        if not self._frames:
            return
        f = self._frames[-1]
        path = _fact_path(key)
        r = self.records.get(key)
        if r is None:  # not computed through this class: depend on the file itself
            f.files.add(path)
            f.hard.add(path)
            f.lookups[_ANY_LOOKUP] = ""
            return
        f.files |= r.files
        f.lookups.update(r.lookups)
        if r.open:
            # Its value depends on what was being computed when it was: not comparable with
            # a fresh computation, so any change behind it re-analyses the consumer.
            f.open |= r.open
            f.hard |= r.files | {_fact_path(k) for k in r.open}
        elif path != f.path:
            f.facts[key] = self._fp(key, value)

    def _guard(self, key: str) -> None:
        if self._frames:
            self._frames[-1].open.add(key)

    def _saw(self, key: str, path: str, value: Callable[[], object]) -> None:
        if self._frames:
            f = self._frames[-1]
            f.files.add(path)
            if path != f.path:
                f.facts[key] = self._fp(key, value)

    def saw_lookup(self, key: str, answer: str) -> None:
        if self._frames:
            self._frames[-1].lookups[key] = answer

    def lookup_changed(self, lookups: Mapping[str, str]) -> bool:
        """Whether any of these lookups gets a different answer in this project's tree."""
        if _ANY_LOOKUP in lookups:
            return True
        by_name, by_suffix = self.by_name, self.by_suffix
        assert isinstance(by_name, _WatchedIndex) and isinstance(by_suffix, _WatchedIndex)
        for key, answer in lookups.items():
            index = by_name if key[0] == "n" else by_suffix
            if index.answer(key[2:]) != answer:
                return True
        return False

    def module_at(self, path: str) -> ModuleInfo | None:
        fresh = path not in self.modules
        mod = super().module_at(path)
        if fresh and mod is not None:
            mod.functions = _WatchedFunctions(mod.functions, path, self)
        self._saw("m:" + path, path, lambda: _module_interface(mod))
        return mod

    def saw_function(self, path: str, name: str) -> None:
        if self._frames and self._frames[-1].path != path:
            mod = self.modules[path]
            self._saw(
                f"f:{name}@{path}", path, lambda: _function_interface(dict.get(mod.functions, name))
            )

    def saw_functions(self, path: str) -> None:
        if self._frames and self._frames[-1].path != path:
            self._saw("a:" + path, path, lambda: _functions_interface(self.modules[path]))

    def _function_by_qualname(self, importer: ModuleInfo, qn: str) -> FunctionInfo | None:
        # The base class caches resolutions; replay what the first one consulted.
        key = (importer.path.split("/", 1)[0], qn)
        seen = self._resolved.get(key)
        if seen is None:
            seen = _Frame(None)
            self._frames.append(seen)
            try:
                found = super()._function_by_qualname(importer, qn)
            finally:
                self._frames.pop()
            self._resolved[key] = seen
        else:
            found = super()._function_by_qualname(importer, qn)
        if self._frames:
            self._frames[-1].merge(seen)
        return found

    def module_env(self, mod: ModuleInfo) -> Env:
        path = mod.path
        key = "e:" + path
        if path in self._envs_running:
            self._guard(key)
            return super().module_env(mod)
        if path not in self.state.module_envs:
            self._envs_running.add(path)
            self._push(path)
            try:
                super().module_env(mod)
            finally:
                self._envs_running.discard(path)
                self._pop(key)
        env = super().module_env(mod)
        self._consume(key, lambda: env)
        return env

    def summary(self, fi: FunctionInfo) -> Summary | None:
        key = "s:" + fi.qualname + "@" + fi.module.path
        pkey = fi.qualname + "@" + fi.module.path
        if pkey in self._in_progress:
            self._guard(key)
            return super().summary(fi)
        if pkey not in self.state.summaries:
            self._push(fi.module.path)
            try:
                super().summary(fi)
            finally:
                self._pop(key)
        result = super().summary(fi)
        self._consume(key, lambda: result)
        return result

    # -------------------------------------------------------------- reading back

    def root_deps(self, mod: ModuleInfo) -> FileResult:
        """The dependencies of ``mod`` analysed as a root (after :meth:`run_module`)."""
        keys = [
            "e:" + mod.path,
            *("s:" + fi.qualname + "@" + mod.path for fi in mod.functions.values()),
        ]
        facts: dict[str, str] = {}
        files: set[str] = set()
        hard: set[str] = set()
        lookups: dict[str, str] = {}
        guarded = False
        for key in keys:
            r = self.records.get(key)
            if r is None:
                guarded = True
                lookups[_ANY_LOOKUP] = ""
                continue
            facts.update(r.facts)
            lookups.update(r.lookups)
            files |= r.files
            hard |= r.hard
            guarded = guarded or bool(r.open)
        if guarded:
            hard |= files
        files |= hard  # a hard file is checked like the others: it must be among the deps
        files.discard(mod.path)
        hard.discard(mod.path)
        # Interface facts (m:, f:, a:) come from their own file only: no need to store that.
        supports = {k: self.supports_of(k) for k in facts if k[0] in "se"}
        return FileResult(
            hits=(),
            imports=frozenset(files),
            skipped=None,
            facts=facts,
            hard=frozenset(hard),
            supports=supports,
            lookups=lookups,
        )

    def current(self, key: str) -> str:
        """The fingerprint of fact ``key`` in this project's tree (computed if need be)."""
        kind, _, rest = key.partition(":")
        path = _fact_path(key)
        mod = self.module_at(path)
        if kind == "m":
            return self._fp(key, lambda: _module_interface(mod))
        if kind == "a":
            return self._fp(key, lambda: _functions_interface(mod))
        if mod is None:
            return self._fp(key, lambda: None)
        if kind == "f":
            name = rest.partition("@")[0]
            return self._fp(key, lambda: _function_interface(dict.get(mod.functions, name)))
        if kind == "e":
            env = self.module_env(mod)
            return self._fp(key, lambda: env)
        fns = self._by_qualname.get(path)
        if fns is None:
            fns = {fi.qualname: fi for fi in dict.values(mod.functions)}
            self._by_qualname[path] = fns
        fi = fns.get(rest.partition("@")[0])
        if fi is None:
            return self._fp(key, lambda: None)
        result = self.summary(fi)
        return self._fp(key, lambda: result)

    def lookups_of(self, key: str) -> Mapping[str, str]:
        r = self.records.get(key)
        return r.lookups if r is not None else {_ANY_LOOKUP: ""}

    def supports_of(self, key: str) -> frozenset[str]:
        r = self.records.get(key)
        return r.files if r is not None else frozenset({_fact_path(key)})


class _Loader:
    """Parses files on first use (``ast``, down-levelling newer syntax via LibCST)."""

    def __init__(
        self,
        files: Mapping[str, str],
        sources: Mapping[str, SourceFile] | None,
        models: Models,
    ) -> None:
        self.files = files
        self.sources = sources or {}
        self.request_names = frozenset(n for rp in models.request_params for n in rp.names)
        self.request_annotations = frozenset(
            a for rp in models.request_params for a in rp.annotations
        )
        self.reasons: dict[str, str] = {}

    def paths(self) -> Iterable[str]:
        return self.files.keys()

    def load(self, path: str) -> ModuleInfo | None:
        text = self.files.get(path)
        if text is None:
            return None
        src = self.sources.get(path)
        tree = src.tree if src is not None and src.text == text else None
        if tree is None:
            try:
                tree = parse_any(path, text, (lambda: src.module) if src is not None else None)
            except DownlevelError as e:
                self.reasons[path] = str(e)
                return None
        return build_module(
            path,
            tree,
            request_names=self.request_names,
            request_annotations=self.request_annotations,
        )


class _Worker:
    """One project per process, kept across batches so summaries are computed once."""

    def __init__(
        self,
        files: Mapping[str, str],
        sources: Mapping[str, SourceFile] | None,
        models: Models,
        options: TaintOptions,
    ) -> None:
        self.loader = _Loader(files, sources, models)
        self.project = _TrackedProject(self.loader, models, options)
        self.options = options

    def analyse(self, roots: Sequence[str]) -> dict[str, FileResult]:
        out: dict[str, FileResult] = {}
        for path in roots:
            mod = self.project.module_at(path)
            if mod is None:
                reason = self.loader.reasons.get(path, "not a Python file of this scan")
                out[path] = FileResult(hits=(), imports=frozenset(), skipped=reason)
                continue
            self.project.run_module(mod)
            hits = self.project.emitted_by(path)
            test_file = bool(_TEST_FILE.search(path))
            if self.options.context_rules_in_tests or not test_file:
                hits.extend(_secret_hits(mod))
            entry: tuple[tuple[str, Hit], ...] = ()
            references: frozenset[str] = frozenset()
            if self.options.entry_point_parameters and not test_file:
                entry = tuple(self.project.entry_point_hits(mod))
                references = referenced_names(mod.tree)
            deps = self.project.root_deps(mod)
            out[path] = dataclasses.replace(
                deps, hits=tuple(hits), entry_hits=entry, references=references
            )
        return out


def _secret_hits(mod: ModuleInfo) -> list[Hit]:
    return [
        Hit(
            rule="hardcoded-secret",
            cwe=798,
            path=mod.path,
            line=s.line,
            end_line=s.end_line,
            message=f"hard-coded secret assigned to {s.name!r}; read it from the "
            "environment or a secret store",
            flow=(),
            confidence=s.confidence,
        )
        for s in find_hardcoded_secrets(mod.tree, mod.scope_nodes[LITERAL_SITES])
    ]


_Inputs = tuple[Mapping[str, str], Mapping[str, SourceFile] | None, Models, TaintOptions]
# "inputs" is set in the parent just before forking: the children inherit the texts instead of
# unpickling them. "worker" is each child's own project, reused across its batches; when the
# parent already has one (the one that checked the cache), the children start from its state.
_PROCESS: dict[str, object] = {}


def _run_batch(roots: list[str]) -> dict[str, FileResult]:
    worker = _PROCESS.get("worker")
    if not isinstance(worker, _Worker):
        inputs = _PROCESS.get("inputs")
        assert isinstance(inputs, tuple), "worker started without shared inputs"
        files, sources, models, options = inputs
        worker = _Worker(files, sources, models, options)
        _PROCESS["worker"] = worker
    return worker.analyse(roots)


def _batches(roots: Sequence[str], jobs: int) -> list[list[str]]:
    """Contiguous runs of sorted paths (files of one package share callees), several per job
    so that a slow batch does not leave the other processes idle."""
    n = max(1, min(len(roots), jobs * 6))
    size = -(-len(roots) // n)
    return [list(roots[i : i + size]) for i in range(0, len(roots), size)]


def _analyse(roots: Sequence[str], worker: _Worker, inputs: _Inputs) -> dict[str, FileResult]:
    options = inputs[3]
    jobs = options.jobs or (os.cpu_count() or 1)
    if (
        jobs <= 1
        or len(roots) < _MIN_PARALLEL
        or "fork" not in multiprocessing.get_all_start_methods()
    ):
        return worker.analyse(roots)
    _PROCESS["inputs"] = inputs
    _PROCESS["worker"] = worker
    try:
        ctx = multiprocessing.get_context("fork")
        out: dict[str, FileResult] = {}
        with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx) as pool:
            for part in pool.map(_run_batch, _batches(roots, jobs)):
                out.update(part)
        return out
    finally:
        _PROCESS.clear()


# ---------------------------------------------------------------------------------- cache


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _engine_key(models: Models, options: TaintOptions) -> str:
    """Changes whenever the engine code, its models or the options that affect results do."""
    h = hashlib.sha256(str(_CACHE_FORMAT).encode())
    here = Path(__file__).parent
    for p in sorted([*here.glob("*.py"), *here.glob("models/*.toml"), *options.model_files]):
        try:
            h.update(p.read_bytes())
        except OSError:
            h.update(f"missing:{p}".encode())
    h.update(
        repr(
            (options.unknown_calls, options.context_rules_in_tests, options.entry_point_parameters)
        ).encode()
    )
    del models  # the models come from the files hashed above
    return h.hexdigest()[:16]


def _hit_to_json(hit: Hit) -> dict[str, object]:
    return {
        "rule": hit.rule,
        "cwe": hit.cwe,
        "path": hit.path,
        "line": hit.line,
        "end_line": hit.end_line,
        "message": hit.message,
        "confidence": hit.confidence.value,
        "flow": [[s.location.path, s.location.start_line, s.message] for s in hit.flow],
    }


def _hit_from_json(d: Mapping[str, object]) -> Hit:
    flow = d["flow"]
    assert isinstance(flow, list)
    return Hit(
        rule=str(d["rule"]),
        cwe=int(str(d["cwe"])),
        path=str(d["path"]),
        line=int(str(d["line"])),
        end_line=int(str(d["end_line"])),
        message=str(d["message"]),
        confidence=Confidence(str(d["confidence"])),
        flow=tuple(
            FlowStep(location=Location(path=str(p), start_line=int(n)), message=str(m))
            for p, n, m in flow
        ),
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class _Entry:
    digest: str  # of the file's own text
    # Of the set of paths in the scan: when it differs, the entry's lookups are checked.
    scope: str
    deps: Mapping[str, str]  # path -> digest of every file behind its consumed values
    result: FileResult


@dataclass(slots=True)
class _Cache:
    entries: dict[str, _Entry]
    # Fact key -> the files its value was computed from, over every scan that recorded it
    # (a union: a value recorded long ago is checked against all the files it ever had).
    supports: dict[str, frozenset[str]]


def _load_cache(file: Path) -> _Cache:
    # JSON, not pickle: the cache lives in the scanned repository's .mamori directory, which
    # whoever controls the repository controls too.
    try:
        raw = json.loads(file.read_text(encoding="utf-8"))
        if raw["format"] != _CACHE_FORMAT:
            return _Cache({}, {})
        paths: list[str] = raw["paths"]
        keys: list[str] = raw["keys"]
        answers: list[str] = raw["answers"]
        supports = {
            keys[int(k)]: frozenset(paths[i] for i in v) for k, v in raw["supports"].items()
        }
        entries: dict[str, _Entry] = {}
        for path, e in raw["files"].items():
            deps = {paths[i]: d for i, d in e["deps"]}
            entries[path] = _Entry(
                digest=e["digest"],
                scope=e["scope"],
                deps=deps,
                result=FileResult(
                    hits=tuple(_hit_from_json(h) for h in e["hits"]),
                    imports=frozenset(deps),
                    skipped=e["skipped"],
                    facts={keys[k]: fp for k, fp in e["facts"]},
                    hard=frozenset(paths[i] for i in e["hard"]),
                    lookups={keys[k]: answers[a] for k, a in e["lookups"]},
                    entry_hits=tuple((str(n), _hit_from_json(h)) for n, h in e["entry"]),
                    references=frozenset(e["refs"]),
                ),
            )
        return _Cache(entries, supports)
    except FileNotFoundError:
        return _Cache({}, {})
    except (OSError, ValueError, KeyError, TypeError, IndexError, AssertionError):
        # A corrupt or foreign cache only costs a full analysis.
        return _Cache({}, {})


def _save_cache(file: Path, cache: _Cache) -> None:
    # Paths and fact keys are numbered once: each is referenced from many entries.
    path_ids: dict[str, int] = {}
    key_ids: dict[str, int] = {}
    answer_ids: dict[str, int] = {}

    def pid(p: str) -> int:
        return path_ids.setdefault(p, len(path_ids))

    def kid(k: str) -> int:
        return key_ids.setdefault(k, len(key_ids))

    def aid(a: str) -> int:
        return answer_ids.setdefault(a, len(answer_ids))

    files = {
        p: {
            "digest": e.digest,
            "scope": e.scope,
            "deps": [[pid(d), h] for d, h in sorted(e.deps.items())],
            "hard": sorted(pid(d) for d in e.result.hard),
            "facts": [[kid(k), fp] for k, fp in sorted(e.result.facts.items())],
            "lookups": [[kid(k), aid(a)] for k, a in sorted(e.result.lookups.items())],
            "skipped": e.result.skipped,
            "hits": [_hit_to_json(h) for h in e.result.hits],
            "entry": [[n, _hit_to_json(h)] for n, h in e.result.entry_hits],
            "refs": sorted(e.result.references),
        }
        for p, e in sorted(cache.entries.items())
    }
    supports = {
        str(kid(k)): sorted(pid(p) for p in s)
        for k, s in sorted(cache.supports.items())
        if k in key_ids
    }
    data = {
        "format": _CACHE_FORMAT,
        "paths": list(path_ids),
        "keys": list(key_ids),
        "answers": list(answer_ids),
        "supports": supports,
        "files": files,
    }
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=file.parent, prefix=file.name, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            # dumps, not dump: one call into the C encoder instead of a Python loop of chunks.
            f.write(json.dumps(data, separators=(",", ":")))
        os.replace(tmp, file)
    except OSError:
        # A read-only checkout still gets its findings; only the next scan is slower.
        return


def _still_valid(
    entry: _Entry,
    cache: _Cache,
    digests: Mapping[str, str],
    scope: str,
    project: _TrackedProject,
) -> _Entry | None:
    """``entry`` if its hits are what analysing its file now would give (refreshed to the
    current digests and scope), else None. Only the values behind a changed file are
    recomputed; after files were added or removed, the entry's name lookups are replayed."""
    if entry.scope != scope:
        if project.lookup_changed(entry.result.lookups):
            return None
        entry = dataclasses.replace(entry, scope=scope)
    changed = {p for p, d in entry.deps.items() if digests.get(p) != d}
    if not changed:
        return entry
    if not changed.isdisjoint(entry.result.hard):
        return None
    for hit in (*entry.result.hits, *(h for _, h in entry.result.entry_hits)):
        # Its location or flow names lines of a changed file (fingerprints leave lines out).
        if hit.path in changed or any(s.location.path in changed for s in hit.flow):
            return None
    supports = dict(entry.result.supports)
    lookups = dict(entry.result.lookups)
    for key, fp in entry.result.facts.items():
        if key[0] in "se":
            support = cache.supports.get(key)
            if support is not None and changed.isdisjoint(support):
                continue
        elif _fact_path(key) not in changed:
            continue
        if project.current(key) != fp:
            return None
        if key[0] in "se":
            supports[key] = project.supports_of(key)
            # The value may now rest on other lookups (its file changed): keep both, the old
            # ones are still a superset of what the consumer's own computations made.
            lookups.update(project.lookups_of(key))
    deps = set(entry.deps)
    for s in supports.values():
        deps |= s
    return dataclasses.replace(
        entry,
        deps={p: digests[p] for p in deps if p in digests},
        result=dataclasses.replace(
            entry.result, supports=supports, imports=frozenset(deps), lookups=lookups
        ),
    )


def run_analysis(
    files: Mapping[str, str],
    *,
    models: Models,
    options: TaintOptions,
    sources: Mapping[str, SourceFile] | None = None,
    cache_dir: Path | None = None,
) -> tuple[dict[str, FileResult], int]:
    """Per-file results for every file of ``files``, and how many were (re-)analysed."""
    digests = {p: _digest(t) for p, t in files.items()}
    scope = _digest("\n".join(sorted(files)))[:20]
    cache_file = (
        cache_dir / f"taint-{_engine_key(models, options)}.json" if cache_dir is not None else None
    )
    cache = _load_cache(cache_file) if cache_file is not None else _Cache({}, {})
    worker = _Worker(files, sources, models, options)
    fresh: dict[str, _Entry] = {}
    for p, e in cache.entries.items():
        if p in files and e.digest == digests[p]:
            kept = _still_valid(e, cache, digests, scope, worker.project)
            if kept is not None:
                fresh[p] = kept
    dirty = sorted(p for p in files if p not in fresh)
    results = {p: e.result for p, e in fresh.items()}
    if dirty:
        results.update(_analyse(dirty, worker, (files, sources, models, options)))
    if cache_file is not None and (dirty or any(fresh[p] is not cache.entries[p] for p in fresh)):
        # Entries of files outside this scan (a re-scan restricted to patched files) stay:
        # they are checked against the digests again whenever those files come back.
        entries = {p: e for p, e in cache.entries.items() if p not in files}
        entries.update(fresh)
        supports = dict(cache.supports)
        for p in dirty:
            r = results[p]
            entries[p] = _Entry(
                digest=digests[p],
                scope=scope,
                deps={d: digests[d] for d in r.imports if d in digests},
                result=r,
            )
        for e in (*fresh.values(), *(entries[p] for p in dirty)):
            for k, s in e.result.supports.items():
                old = supports.get(k)
                supports[k] = s if old is None or old <= s else old | s
        _save_cache(cache_file, _Cache(entries, supports))
    return _entry_hits(results), len(dirty)


def _entry_hits(results: Mapping[str, FileResult]) -> dict[str, FileResult]:
    """``results`` with each file's entry-point candidates whose public function no file of
    the scan refers to added to its hits. Computed over the whole set on every scan (cached
    files included): whether a function is called depends on every other file."""
    referenced: set[str] = set()
    for r in results.values():
        referenced |= r.references
    out: dict[str, FileResult] = {}
    for p, r in results.items():
        kept = tuple(h for name, h in r.entry_hits if name not in referenced)
        out[p] = dataclasses.replace(r, hits=(*r.hits, *kept)) if kept else r
    return out
