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

A file re-analysed although its own text did not change (a value it consumed changed, or a
lookup's answer) is re-analysed in part. Beside the cache, each file keeps the trace of each of
its own computations (its module environment, each function's summary): the values of other
files it consumed, its lookups, the findings it reported, and the values of its own file it
used. Only the computations whose inputs changed are run again, then those of the same file
that used one whose fingerprint changed, and so on; the findings of the others are taken from
their traces. So a changed helper summary costs each dependent file the functions that call
it, not the whole file with every callee of every function in it.
"""

from __future__ import annotations

import ast
import contextlib
import dataclasses
import enum
import functools
import gc
import hashlib
import json
import multiprocessing
import os
import re
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TypeGuard, TypeVar

from mamori.domain import Confidence, FlowStep, Location
from mamori.scan.source import SourceFile
from mamori.scan.taint.analysis import Env, Hit, Project, ProjectState, Summary, _keep
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
_CACHE_FORMAT = 7


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
    # Value key -> its trace (``_TrackedProject.part``): what each of the file's own
    # computations consumed and reported, to re-analyse only what a changed value reaches. None
    # when one of them ran under a recursion guard (the file is then re-analysed whole).
    parts: Mapping[str, _Part] | None = None


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


# Dataclass -> (its field names, those without line numbers); None for other classes.
_DATACLASS_FIELDS: dict[type, tuple[tuple[str, ...], tuple[str, ...]] | None] = {}


def _dataclass_fields(x: object) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    if not dataclasses.is_dataclass(x) or isinstance(x, type):
        return None
    every = tuple(f.name for f in dataclasses.fields(x))
    return every, tuple(n for n in every if n not in _LINE_FIELDS)


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
    cls = type(x)
    if cls in _DATACLASS_FIELDS:
        names = _DATACLASS_FIELDS[cls]
    else:
        names = _DATACLASS_FIELDS[cls] = _dataclass_fields(x)
    if names is not None:
        every, without_lines = names
        keep_lines = isinstance(x, Origin) and x.category != "param"
        return (
            cls.__name__,
            tuple(_canon(getattr(x, n)) for n in (every if keep_lines else without_lines)),
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
# The cached trace of one computation of a file's own values (its module environment, a
# function's summary), JSON-ready: see ``_TrackedProject.part``.
_Part = dict[str, object]
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

    __slots__ = ("facts", "files", "hard", "hits", "local", "lookups", "open", "path")

    def __init__(self, path: str | None) -> None:
        self.path = path
        self.hits: list[Hit] = []  # reported by this computation, for its own file
        self.local: set[str] = set()  # values of its own file it consumed
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
    hits: tuple[Hit, ...] = ()  # reported by this computation itself (nested ones apart)
    local: frozenset[str] = frozenset()  # values of its own file consumed directly


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
            hits=tuple(f.hits),
            local=frozenset(f.local),
        )

    def add_hit(self, hit: Hit) -> None:
        super().add_hit(hit)
        # Kept per computation too (the file's own ones): a file re-analysed because a value
        # it consumed changed recomputes only what consumed it (``_Worker.partial``).
        if self._frames and not self._mute:
            f = self._frames[-1]
            if f.path is not None and self._emitter and self._emitter[-1] == f.path:
                f.hits.append(hit)

    def _consume(self, key: str, value: Callable[[], object]) -> None:
        if not self._frames:
            return
        f = self._frames[-1]
        path = _fact_path(key)
        if path == f.path:
            f.local.add(key)
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
                result = super().summary(fi)
            finally:
                provisional = self.provisional(fi)
                if provisional:
                    self._inline(key, provisional)
                else:
                    self._pop(key)
            if provisional:
                return result
        result = super().summary(fi)
        self._consume(key, lambda: result)
        return result

    def _inline(self, key: str, provisional: frozenset[str]) -> None:
        """Ends the computation of ``key`` whose value is not kept (it read the module-level
        state of a module still collecting it: ``Project.summary``): what it consumed is
        consumed by the computation that called it, which depends on the same provisional
        state and is not kept either, up to that module's environment."""
        f = self._frames.pop()
        self.records.pop(key, None)
        f.open.discard(key)
        if not self._frames:
            return
        parent = self._frames[-1]
        # Computed under those modules' guard (removed when their environment is done).
        f.open |= {"e:" + p for p in provisional}
        if f.path == parent.path:
            parent.local |= f.local
        parent.local |= {k for k in f.facts if _fact_path(k) == parent.path}
        parent.merge(f)

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

    def part(self, key: str) -> _Part | None:
        """What the computation of ``key`` (a value of a root's own file) used and reported,
        to be cached with the file; None when it was not computed through this class."""
        r = self.records.get(key)
        if r is None:
            return None
        return {
            "facts": sorted(r.facts.items()),
            "lookups": sorted(r.lookups.items()),
            "files": sorted(r.files),
            "hard": sorted(r.hard),
            "open": bool(r.open),
            "hits": [_hit_to_json(h) for h in r.hits],
            "local": sorted(r.local),
        }

    def fingerprint(self, key: str, value: object) -> str:
        return self._fp(key, lambda: value)

    def add_fingerprints(self, parts: Mapping[str, _Part]) -> None:
        """Adds to the traces of a file the fingerprints of the values that others of the file
        consumed (compared after a recomputation to decide whether they must be recomputed
        too); those of this process's values, the others' are kept."""
        used = {k for part in parts.values() for k in part["local"]}  # type: ignore[attr-defined]
        for key in sorted(used):
            if key in self.records and key in parts:
                parts[key]["fp"] = self._fp(key, functools.partial(self._value, key))

    def _value(self, key: str) -> object:
        if key[0] == "e":
            return self.state.module_envs.get(key[2:])
        return self.state.summaries.get(key[2:])

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


def _library_modules(models: Models) -> frozenset[str]:
    """Top-level modules that are not the project's: the standard library and every library
    the models name a function of (``yaml`` for ``yaml.load``)."""
    named = (
        *models.source_calls,
        *models.sinks_by_callee,
        *models.sanitisers_by_callee,
        *models.guards_by_callee,
        *models.propagators_by_callee,
        *models.facts_by_callee,
    )
    return frozenset(sys.stdlib_module_names) | {n.split(".")[0] for n in named if "." in n}


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
        self.library_modules = _library_modules(models)

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
            entry: list[tuple[str, Hit]] = []
            references: frozenset[str] = frozenset()
            parts = self._parts(mod)
            if self.options.entry_point_parameters and not test_file:
                for fi in dict.values(mod.functions):
                    found = self.project.entry_point_hits(fi)
                    entry.extend(found)
                    if parts is not None:
                        parts[_summary_key(fi)]["entry"] = _entry_json(found)
                own = (mod.name or "").split(".")[0]
                references = referenced_names(mod.tree, self.library_modules - {own})
            deps = self.project.root_deps(mod)
            out[path] = dataclasses.replace(
                deps, hits=tuple(hits), entry_hits=tuple(entry), references=references, parts=parts
            )
        return out

    def release(self) -> None:
        """Drops what the analysis built (modules, their syntax trees, summaries, records),
        breaking the cycles between them (a module and its functions refer to each other):
        freed now by reference counting, they need no later full garbage collection, which
        walks every object alive (a tenth of a second after a Django re-scan, paid at exit
        otherwise)."""
        project = self.project
        for mod in project.modules.values():
            dict.clear(mod.functions)
            mod.scope_nodes.clear()
        project.state = ProjectState()
        # Its tables (modules, caches of functions, records, frames): all done with.
        for value in vars(project).values():
            if isinstance(value, (dict, set, list)):
                value.clear()

    def _parts(self, mod: ModuleInfo) -> dict[str, _Part] | None:
        parts: dict[str, _Part] = {}
        for key in _own_keys(mod):
            part = self.project.part(key)
            if not _traceable(part):
                return None
            parts[key] = part
        self.project.add_fingerprints(parts)
        return parts

    def partial(
        self, path: str, parts: Mapping[str, _Part], affected: Iterable[str], cached: FileResult
    ) -> FileResult | None:
        """The result of analysing the (unchanged) file at ``path`` again when only the values
        ``affected`` (keys of ``parts``, its cached traces) may have changed: those are
        recomputed, then whatever in the file consumed one whose fingerprint changed, and so
        on; the rest is taken from ``parts``. None when that cannot be done exactly (then the
        file is analysed whole)."""
        project = self.project
        mod = project.module_at(path)
        if mod is None:
            return None
        keys = _own_keys(mod)
        if set(keys) != set(parts):
            return None
        fns = {_summary_key(fi): fi for fi in dict.values(mod.functions)}
        consumers: dict[str, list[str]] = {}
        for k in keys:
            for used in parts[k]["local"]:  # type: ignore[attr-defined]
                consumers.setdefault(used, []).append(k)
        # The module environment first: recomputing any function computes it anyway. Values
        # computed along the way (a callee in the file, or earlier in this process) are
        # compared too.
        todo = sorted({*affected, keys[0]}, reverse=True)
        done: set[str] = set()
        while todo:
            key = todo.pop()
            if key in done:
                continue
            done.add(key)
            fi = fns.get(key)
            value: object = project.module_env(mod) if fi is None else project.summary(fi)
            if project.fingerprint(key, value) != parts[key].get("fp"):
                todo.extend(sorted(consumers.get(key, ()), reverse=True))
            if not todo:
                todo = [k for k in reversed(keys) if k in project.records and k not in done]
        test_file = bool(_TEST_FILE.search(path))
        want_entry = self.options.entry_point_parameters and not test_file
        best: dict[tuple[str, str, int], Hit] = {}
        entry: list[tuple[str, Hit]] = []
        new_parts: dict[str, _Part] = {}
        facts: dict[str, str] = {}
        files: set[str] = set()
        lookups: dict[str, str] = {}
        for key in keys:
            fresh = key in project.records
            part = project.part(key) if fresh else dict(parts[key])
            if not _traceable(part):
                return None
            fi = fns.get(key)
            if fi is not None and want_entry:
                if fresh:
                    found = self.project.entry_point_hits(fi)
                    part["entry"] = _entry_json(found)
                    entry.extend(found)
                else:
                    entry.extend((str(n), _hit_from_json(h)) for n, h in part["entry"])  # type: ignore[attr-defined]
            new_parts[key] = part
            if fresh:
                hits: Iterable[Hit] = project.records[key].hits
            else:
                hits = [_hit_from_json(h) for h in part["hits"]]  # type: ignore[attr-defined]
            for h in hits:
                _keep(best, (h.rule, h.path, h.line), h)
            facts.update((k, fp) for k, fp in part["facts"])  # type: ignore[attr-defined]
            lookups.update((k, a) for k, a in part["lookups"])  # type: ignore[attr-defined]
            files.update(part["files"])  # type: ignore[arg-type]
        found_hits = sorted(best.values(), key=lambda h: (h.path, h.line, h.rule))
        if self.options.context_rules_in_tests or not test_file:
            found_hits.extend(_secret_hits(mod))
        files.discard(path)
        project.add_fingerprints(new_parts)
        return FileResult(
            hits=tuple(found_hits),
            imports=frozenset(files),
            skipped=None,
            facts=facts,
            supports={k: project.supports_of(k) for k in facts if k[0] in "se"},
            lookups=lookups,
            entry_hits=tuple(entry),
            references=cached.references,
            parts=new_parts,
        )


def _traceable(part: _Part | None) -> TypeGuard[_Part]:
    """Whether a computation's trace can drive a partial re-analysis: it was recorded, and not
    under a recursion guard (its own or an enclosing computation's)."""
    return part is not None and not part["open"] and not part["hard"]


def _entry_json(found: Iterable[tuple[str, Hit]]) -> list[list[object]]:
    return [[n, _hit_to_json(h)] for n, h in found]


def _summary_key(fi: FunctionInfo) -> str:
    return "s:" + fi.qualname + "@" + fi.module.path


def _own_keys(mod: ModuleInfo) -> list[str]:
    """The values computed when ``mod`` is analysed as a root, in the order they are."""
    return ["e:" + mod.path, *(_summary_key(fi) for fi in dict.values(mod.functions))]


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
    # Stamp (a digest) of the file's traces (``FileResult.parts``), kept in a file of their
    # own: read only when the file is re-analysed in part. None: it has none.
    parts: str | None = None
    # Its line in the cache file it was read from (everything but the scope, which is kept
    # apart: a new file in the scan changes every entry's), written back when unchanged.
    line: str | None = dataclasses.field(default=None, compare=False, repr=False)


@dataclass(slots=True)
class _Cache:
    entries: dict[str, _Entry]
    # Fact key -> the files its value was computed from, over every scan that recorded it
    # (a union: a value recorded long ago is checked against all the files it ever had).
    supports: dict[str, frozenset[str]]
    # The numbered paths, fact keys and answers of the file it was read from, and their count
    # after its last full rewrite.
    tables: tuple[list[str], list[str], list[str], int] | None = None
    # Those three tables as they were read (JSON arrays): written back as they are, or with
    # the new items appended, instead of encoding a hundred thousand fact keys again.
    texts: tuple[str, str, str] | None = None


class _CorruptCache(Exception):
    """A cache entry's values or lookups cannot be decoded: the cache is not to be used."""


class _Packed(Mapping[str, str]):
    """A file's consumed values or name lookups as the cache holds them: numbered pairs in a
    JSON text of their own, decoded on first use. Most entries of a re-scan are only checked
    against the digests of the files they depend on; their values and lookups are read only
    when one of those files changed or the set of files did (they are most of the cache)."""

    __slots__ = ("_data", "_keys", "_text", "_values")

    def __init__(self, text: str, keys: list[str], values: list[str] | None) -> None:
        self._text = text
        self._keys = keys
        self._values = values  # None: the values are stored as they are
        self._data: dict[str, str] | None = None

    def _decoded(self) -> dict[str, str]:
        if self._data is None:
            keys, values = self._keys, self._values
            try:
                pairs = json.loads(self._text)
                if values is None:
                    data = {keys[k]: v for k, v in pairs}
                else:
                    data = {keys[k]: values[v] for k, v in pairs}
            except (ValueError, TypeError, IndexError) as e:
                raise _CorruptCache(str(e)) from e
            if not all(isinstance(v, str) for v in data.values()):
                raise _CorruptCache("a value that is not a fingerprint")
            self._data = data
        return self._data

    def __getitem__(self, key: str) -> str:
        return self._decoded()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._decoded())

    def __len__(self) -> int:
        return len(self._decoded())


def _load_cache(file: Path) -> _Cache:
    # JSON, not pickle: the cache lives in the scanned repository's .mamori directory, which
    # whoever controls the repository controls too. A header line, then the three tables the
    # entries refer to by number (paths, fact keys, answers; a line each), then one line per
    # file: a save re-encodes only the entries that changed.
    try:
        lines = file.read_text(encoding="utf-8").split("\n")
        head = json.loads(lines[0])
        if head["format"] != _CACHE_FORMAT:
            return _Cache({}, {})
        texts = (lines[1], lines[2], lines[3])
        paths: list[str] = json.loads(texts[0])
        keys: list[str] = json.loads(texts[1])
        answers: list[str] = json.loads(texts[2])
        scopes: dict[str, str] = head["scopes"]
        supports = {
            keys[int(k)]: frozenset(paths[i] for i in v) for k, v in head["supports"].items()
        }
        entries: dict[str, _Entry] = {}
        for line in lines[4:]:
            path, e = json.loads(line)
            deps = {paths[i]: d for i, d in e["deps"]}
            entries[path] = _Entry(
                digest=e["digest"],
                scope=scopes[path],
                deps=deps,
                parts=e["parts"],
                result=FileResult(
                    hits=tuple(_hit_from_json(h) for h in e["hits"]),
                    imports=frozenset(deps),
                    skipped=e["skipped"],
                    facts=_Packed(e["facts"], keys, None),
                    hard=frozenset(paths[i] for i in e["hard"]),
                    lookups=_Packed(e["lookups"], keys, answers),
                    entry_hits=tuple((str(n), _hit_from_json(h)) for n, h in e["entry"]),
                    references=frozenset(e["refs"]),
                ),
                line=line,
            )
        return _Cache(entries, supports, (paths, keys, answers, int(head["base"])), texts)
    except FileNotFoundError:
        return _Cache({}, {})
    except (OSError, ValueError, KeyError, TypeError, IndexError, AssertionError):
        # A corrupt or foreign cache only costs a full analysis.
        return _Cache({}, {})


def _pairs(items: list[tuple[int, str]] | list[tuple[int, int]]) -> str:
    """Numbered pairs as the JSON text a ``_Packed`` decodes."""
    return json.dumps(items, separators=(",", ":"))


def _table_text(items: list[str], loaded: list[str], text: str | None) -> str:
    """``items`` as a JSON array; from ``text`` (``loaded`` as it was read) when ``items``
    extends ``loaded``."""
    if text is None or len(items) < len(loaded):
        return json.dumps(items, separators=(",", ":"))
    if len(items) == len(loaded):
        return text
    extra = json.dumps(items[len(loaded) :], separators=(",", ":"))
    return extra if not loaded else f"{text[:-1]},{extra[1:]}"


def _save_cache(file: Path, cache: _Cache) -> None:
    # Paths, fact keys and answers are numbered once: each is referenced from many entries.
    # The numbers of the cache this one was loaded from are kept, so that the lines of the
    # entries that did not change are written back as they were read; until the tables hold
    # twice what they held after the last full rewrite (numbers nothing refers to any more).
    paths, keys, answers, base = cache.tables or ([], [], [], 0)
    size = len(paths) + len(keys) + len(answers)
    reuse = cache.tables is not None and size <= 2 * base + 10_000
    if not reuse:
        paths, keys, answers = [], [], []
    path_ids = {p: i for i, p in enumerate(paths)}
    key_ids = {k: i for i, k in enumerate(keys)}
    answer_ids = {a: i for i, a in enumerate(answers)}

    def pid(p: str) -> int:
        return path_ids.setdefault(p, len(path_ids))

    def kid(k: str) -> int:
        return key_ids.setdefault(k, len(key_ids))

    def aid(a: str) -> int:
        return answer_ids.setdefault(a, len(answer_ids))

    lines: list[str] = []
    # On a full rewrite, the recorded files behind values no entry consumes any more are
    # dropped; otherwise they stay (a union, like every other record of them) until then.
    used: set[str] | None = None if reuse else set()
    for p, e in sorted(cache.entries.items()):
        if used is not None:
            used.update(e.result.facts)
        if reuse and e.line is not None:
            lines.append(e.line)
            continue
        entry = {
            "digest": e.digest,
            "parts": e.parts,
            "deps": [[pid(d), h] for d, h in sorted(e.deps.items())],
            "hard": sorted(pid(d) for d in e.result.hard),
            "facts": _pairs([(kid(k), fp) for k, fp in sorted(e.result.facts.items())]),
            "lookups": _pairs([(kid(k), aid(a)) for k, a in sorted(e.result.lookups.items())]),
            "skipped": e.result.skipped,
            "hits": [_hit_to_json(h) for h in e.result.hits],
            "entry": _entry_json(e.result.entry_hits),
            "refs": sorted(e.result.references),
        }
        lines.append(json.dumps([p, entry], separators=(",", ":")))
    supports = {
        str(kid(k)): sorted(pid(p) for p in s)
        for k, s in sorted(cache.supports.items())
        if used is None or k in used
    }
    head = {
        "format": _CACHE_FORMAT,
        "base": base if reuse else len(path_ids) + len(key_ids) + len(answer_ids),
        "scopes": {p: e.scope for p, e in sorted(cache.entries.items())},
        "supports": supports,
    }
    read = cache.texts if reuse and cache.tables is not None else None
    tables = [
        _table_text(list(ids), loaded, read[i] if read is not None else None)
        for i, (ids, loaded) in enumerate(
            ((path_ids, paths), (key_ids, keys), (answer_ids, answers))
        )
    ]
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=file.parent, prefix=file.name, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write("\n".join([json.dumps(head, separators=(",", ":")), *tables, *lines]))
        os.replace(tmp, file)
    except OSError:
        # A read-only checkout still gets its findings; only the next scan is slower.
        return


def _parts_file(parts_dir: Path, path: str) -> Path:
    return parts_dir / (_digest(path)[:24] + ".json")


_TABLED = ("lookups", "facts", "files", "local")


def _save_parts(parts_dir: Path, path: str, parts: Mapping[str, _Part] | None) -> str | None:
    """Writes a file's traces; their stamp, or None when it has none (or they could not be
    written): the entry then refers to no traces, whatever the file holds."""
    if parts is None:
        # Traces written for an earlier version of the file would only take space.
        with contextlib.suppress(OSError):
            _parts_file(parts_dir, path).unlink(missing_ok=True)
        return None
    # The computations of one file share most of their lookups, facts and files: each is
    # written once, and referred to by number.
    tables: dict[str, dict[object, int]] = {name: {} for name in _TABLED}
    packed: dict[str, dict[str, object]] = {}
    for key, part in parts.items():
        out = dict(part)
        for name, table in tables.items():
            items = part[name]
            assert isinstance(items, list)
            out[name] = [
                table.setdefault(tuple(x) if isinstance(x, list) else x, len(table)) for x in items
            ]
        packed[key] = out
    text = json.dumps(
        {"path": path, "parts": packed, **{n: list(t) for n, t in tables.items()}},
        separators=(",", ":"),
    )
    try:
        parts_dir.mkdir(parents=True, exist_ok=True)
        _parts_file(parts_dir, path).write_text(text, encoding="utf-8")
    except OSError:
        return None
    return _digest(text)[:24]


def _load_parts(parts_dir: Path, path: str, stamp: str) -> dict[str, _Part] | None:
    try:
        text = _parts_file(parts_dir, path).read_text(encoding="utf-8")
        if _digest(text)[:24] != stamp:
            return None  # overwritten since (the entry is older than the traces)
        raw = json.loads(text)
        if raw["path"] != path:
            return None
        parts = raw["parts"]
        assert isinstance(parts, dict)
        for part in parts.values():
            for name in _TABLED:
                table = raw[name]
                part[name] = [table[i] for i in part[name]]
        return parts
    except (OSError, ValueError, KeyError, TypeError, AssertionError):
        return None


def _names_changed(hits: Iterable[Mapping[str, object]], changed: set[str]) -> bool:
    for h in hits:
        flow = h["flow"]
        assert isinstance(flow, list)
        if h["path"] in changed or any(s[0] in changed for s in flow):
            return True
    return False


def _affected(
    entry: _Entry,
    parts: Mapping[str, _Part],
    cache: _Cache,
    digests: Mapping[str, str],
    scope: str,
    worker: _Worker,
) -> set[str] | None:
    """The keys of ``parts`` (the traces of an unchanged file) whose computation may give
    something else now: a value it consumed has another fingerprint, one of its name lookups
    another answer, or what it reported names lines of a changed file. The same tests as
    ``_still_valid``, per computation. None if the traces cannot be used."""
    project = worker.project
    changed = {p for p, d in entry.deps.items() if digests.get(p) != d}
    rescope = entry.scope != scope
    out: set[str] = set()
    for key, part in parts.items():
        if not _traceable(part):
            return None
        lookups = part["lookups"]
        assert isinstance(lookups, list)
        if rescope and project.lookup_changed(dict(lookups)):
            out.add(key)
            continue
        entry_hits = part.get("entry", [])
        hits = part["hits"]
        assert isinstance(hits, list) and isinstance(entry_hits, list)
        if _names_changed((*hits, *(h for _, h in entry_hits)), changed):
            out.add(key)
            continue
        files = part["files"]
        assert isinstance(files, list)
        if changed.isdisjoint(files):
            continue
        facts = part["facts"]
        assert isinstance(facts, list)
        for fact, fp in facts:
            if fact[0] in "se":
                support = cache.supports.get(fact)
                if support is not None and changed.isdisjoint(support):
                    continue
            elif _fact_path(fact) not in changed:
                continue
            if project.current(fact) != fp:
                out.add(key)
                break
    return out


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
        line=None,
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
    # The analysis builds millions of long-lived objects (syntax trees, labels, the loaded
    # cache) and almost no cyclic garbage: with the collector on, its full collections, each
    # a walk over everything alive, took more than half the time of a small re-scan (Django:
    # 1.8 of 3.5 s) and a good part of a cold one. Paused for the analysis only; the workers,
    # forked meanwhile, inherit the pause. Everything allocated meanwhile is still in the
    # youngest generation afterwards, so the first collection would walk it all (0.2 s after a
    # small Django re-scan): freezing and unfreezing moves it to the oldest generation in one
    # step (left alone when the program froze objects of its own).
    paused = gc.isenabled()
    gc.disable()
    try:
        return _run_analysis(
            files, models=models, options=options, sources=sources, cache_dir=cache_dir
        )
    finally:
        if paused:
            if gc.get_freeze_count() == 0:
                gc.freeze()
                gc.unfreeze()
            gc.enable()


def _run_analysis(
    files: Mapping[str, str],
    *,
    models: Models,
    options: TaintOptions,
    sources: Mapping[str, SourceFile] | None,
    cache_dir: Path | None,
) -> tuple[dict[str, FileResult], int]:
    digests = {p: _digest(t) for p, t in files.items()}
    scope = _digest("\n".join(sorted(files)))[:20]
    cache_file = (
        cache_dir / f"taint-{_engine_key(models, options)}.json" if cache_dir is not None else None
    )
    cache = _load_cache(cache_file) if cache_file is not None else _Cache({}, {})
    try:
        return _analyse_with(files, digests, scope, cache, cache_file, sources, models, options)
    except _CorruptCache:
        # An entry's values, read as valid JSON, could not be decoded (the file was damaged
        # or edited): everything is analysed again, as without a cache, and the cache rebuilt.
        empty = _Cache({}, {})
        return _analyse_with(files, digests, scope, empty, cache_file, sources, models, options)


def _analyse_with(
    files: Mapping[str, str],
    digests: Mapping[str, str],
    scope: str,
    cache: _Cache,
    cache_file: Path | None,
    sources: Mapping[str, SourceFile] | None,
    models: Models,
    options: TaintOptions,
) -> tuple[dict[str, FileResult], int]:
    parts_dir = cache_file.with_suffix(".parts") if cache_file is not None else None
    worker = _Worker(files, sources, models, options)
    fresh: dict[str, _Entry] = {}
    stale: dict[str, _Entry] = {}  # unchanged files that a change elsewhere reaches
    for p, e in cache.entries.items():
        if p in files and e.digest == digests[p]:
            kept = _still_valid(e, cache, digests, scope, worker.project)
            if kept is not None:
                fresh[p] = kept
            elif e.parts is not None:
                stale[p] = e
    dirty = sorted(p for p in files if p not in fresh)
    results = {p: e.result for p, e in fresh.items()}
    # Those re-analysed in part: only the values of theirs that the change reaches.
    for p, e in sorted(stale.items()):
        assert parts_dir is not None and e.parts is not None
        parts = _load_parts(parts_dir, p, e.parts)
        affected = None if parts is None else _affected(e, parts, cache, digests, scope, worker)
        if parts is not None and affected is not None:
            again = worker.partial(p, parts, affected, e.result)
            if again is not None:
                results[p] = again
    whole = [p for p in dirty if p not in results]
    if whole:
        results.update(_analyse(whole, worker, (files, sources, models, options)))
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
                parts=_save_parts(parts_dir, p, r.parts) if parts_dir is not None else None,
            )
        for e in (*fresh.values(), *(entries[p] for p in dirty)):
            for k, s in e.result.supports.items():
                old = supports.get(k)
                supports[k] = s if old is None or old <= s else old | s
        _save_cache(cache_file, _Cache(entries, supports, cache.tables))
    worker.release()
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
