"""Running the analysis over a repository: lazy parsing, worker processes, a per-file cache.

The unit of work is one file ("root"): its module body and every function in it, with the
summaries of the functions it calls computed on demand (and parsed on demand: a worker parses
only the files its roots reach). What a root's analysis reports depends only on that file and
the project files whose code it consulted, directly or not; so each file's hits are cached under its
content hash together with the hashes of the files its analysis consulted (recorded while
analysing, through the summaries it used), and a re-scan re-analyses only files whose own text
or one of those files changed. Roots are split across processes (``fork``, so the
texts are shared, not copied) when there are enough of them to pay for the processes.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import re
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from mamori.domain import Confidence, FlowStep, Location
from mamori.scan.source import SourceFile
from mamori.scan.taint.analysis import Hit, Project
from mamori.scan.taint.context import find_hardcoded_secrets
from mamori.scan.taint.downlevel import DownlevelError, parse_any
from mamori.scan.taint.models import Models
from mamori.scan.taint.module import LITERAL_SITES, ModuleInfo, build_module
from mamori.scan.taint.options import TaintOptions

__all__ = ["FileResult", "run_analysis"]

_TEST_FILE = re.compile(
    r"(^|/)(tests?|testing)/|(^|/)test_[^/]*\.py$|_test\.py$|(^|/)conftest\.py$"
)
# Below this many files to analyse, starting processes costs more than it saves.
_MIN_PARALLEL = 48
_CACHE_FORMAT = 1


@dataclass(frozen=True, slots=True, kw_only=True)
class FileResult:
    """What analysing one file as a root produced."""

    hits: tuple[Hit, ...]
    # Project files its analysis consulted (directly or through the summaries it used).
    imports: frozenset[str]
    skipped: str | None  # why it could not be analysed


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
        self.project = Project(self.loader, models, options)
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
            if self.options.context_rules_in_tests or not _TEST_FILE.search(path):
                hits.extend(_secret_hits(mod))
            out[path] = FileResult(
                hits=tuple(hits), imports=self.project.depends_on(mod), skipped=None
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
# unpickling them. "worker" is each child's own project, reused across its batches.
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


def _analyse(
    roots: Sequence[str],
    files: Mapping[str, str],
    sources: Mapping[str, SourceFile] | None,
    models: Models,
    options: TaintOptions,
) -> dict[str, FileResult]:
    jobs = options.jobs or (os.cpu_count() or 1)
    if (
        jobs <= 1
        or len(roots) < _MIN_PARALLEL
        or "fork" not in multiprocessing.get_all_start_methods()
    ):
        return _Worker(files, sources, models, options).analyse(roots)
    inputs: _Inputs = (files, sources, models, options)
    _PROCESS["inputs"] = inputs
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
    h.update(repr((options.unknown_calls, options.context_rules_in_tests)).encode())
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
    digest: str
    deps: Mapping[str, str]  # path -> digest of every project file in the import closure
    result: FileResult

    def valid(self, digests: Mapping[str, str], path: str) -> bool:
        return digests.get(path) == self.digest and all(
            digests.get(p) == d for p, d in self.deps.items()
        )


def _load_cache(file: Path) -> dict[str, _Entry]:
    # JSON, not pickle: the cache lives in the scanned repository's .mamori directory, which
    # whoever controls the repository controls too.
    try:
        raw = json.loads(file.read_text(encoding="utf-8"))
        entries: dict[str, _Entry] = {}
        for path, e in raw["files"].items():
            entries[path] = _Entry(
                digest=e["digest"],
                deps=dict(e["deps"]),
                result=FileResult(
                    hits=tuple(_hit_from_json(h) for h in e["hits"]),
                    imports=frozenset(e["imports"]),
                    skipped=e["skipped"],
                ),
            )
        return entries
    except FileNotFoundError:
        return {}
    except (OSError, ValueError, KeyError, TypeError, AssertionError):
        # A corrupt or foreign cache only costs a full analysis.
        return {}


def _save_cache(file: Path, entries: Mapping[str, _Entry]) -> None:
    data = {
        "format": _CACHE_FORMAT,
        "files": {
            p: {
                "digest": e.digest,
                "deps": dict(e.deps),
                "imports": sorted(e.result.imports),
                "skipped": e.result.skipped,
                "hits": [_hit_to_json(h) for h in e.result.hits],
            }
            for p, e in sorted(entries.items())
        },
    }
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=file.parent, prefix=file.name, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f, separators=(",", ":"))
        os.replace(tmp, file)
    except OSError:
        # A read-only checkout still gets its findings; only the next scan is slower.
        return


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
    cache_file = (
        cache_dir / f"taint-{_engine_key(models, options)}.json" if cache_dir is not None else None
    )
    cached = _load_cache(cache_file) if cache_file is not None else {}
    fresh = {p: e for p, e in cached.items() if p in files and e.valid(digests, p)}
    dirty = sorted(p for p in files if p not in fresh)
    results = {p: e.result for p, e in fresh.items()}
    if dirty:
        results.update(_analyse(dirty, files, sources, models, options))
    if cache_file is not None and dirty:
        # Entries of files outside this scan (a re-scan restricted to patched files) stay:
        # they are checked against the digests again whenever those files come back.
        entries = {p: e for p, e in cached.items() if p not in files}
        entries.update(fresh)
        for p in dirty:
            entries[p] = _Entry(
                digest=digests[p],
                # Already transitive: summaries carry the files their own callees consulted.
                deps={d: digests[d] for d in results[p].imports if d in digests},
                result=results[p],
            )
        _save_cache(cache_file, entries)
    return results, len(dirty)
