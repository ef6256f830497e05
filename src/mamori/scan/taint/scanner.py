"""The ``mamori`` engine: Mamori's own dataflow analysis as a Scanner.

:func:`analyse_sources` is the pure core (file texts in, hits out); :class:`TaintScanner` wraps it
for the pipeline, turning hits into :class:`~mamori.domain.RawFinding` values with
:func:`mamori.scan.source.make_finding` so that scope and fingerprint are computed the shared way.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from mamori.domain import Confidence, EngineId, NotAnalysed, RawFinding, ScanReport
from mamori.scan.interface import ScanTarget
from mamori.scan.source import SourceFile, make_finding
from mamori.scan.taint.analysis import Hit
from mamori.scan.taint.engine import run_analysis
from mamori.scan.taint.models import Models, load_models
from mamori.scan.taint.options import TaintOptions
from mamori.scan.taint.rules import ENGINE_ID, RULES

ENGINE = EngineId(ENGINE_ID)


@dataclass(frozen=True, slots=True, kw_only=True)
class AnalysisResult:
    hits: tuple[Hit, ...]
    not_analysed: tuple[tuple[str, str], ...]  # (path, reason)
    analysed: int = 0  # files analysed in this run (the rest came from the cache)


def analyse_sources(
    files: Mapping[str, str],
    *,
    options: TaintOptions | None = None,
    models: Models | None = None,
    sources: Mapping[str, SourceFile] | None = None,
    cache_dir: Path | None = None,
) -> AnalysisResult:
    """Analyse ``files`` (repository-relative path -> text) together.

    Every file is analysed; calls between them are followed through function summaries.
    ``sources``: the already parsed files (their LibCST trees serve files with syntax newer
    than this interpreter's). ``cache_dir``: reuse and store per-file results there.
    """
    opts = options or TaintOptions()
    mdl = models or load_models(opts.model_files)
    results, analysed = run_analysis(
        files, models=mdl, options=opts, sources=sources, cache_dir=cache_dir
    )
    best: dict[tuple[str, str, int], Hit] = {}
    skipped: list[tuple[str, str]] = []
    for path in sorted(results):
        r = results[path]
        if r.skipped is not None:
            skipped.append((path, r.skipped))
        for hit in r.hits:
            key = (hit.rule, hit.path, hit.line)
            old = best.get(key)
            if old is None or hit.confidence.rank > old.confidence.rank:
                best[key] = hit
    hits = sorted(best.values(), key=lambda h: (h.path, h.line, h.rule))
    return AnalysisResult(hits=tuple(hits), not_analysed=tuple(skipped), analysed=analysed)


# The files the engine analyses among the parsed sources (stubs have no code to follow).
ANALYSED_SUFFIXES = (".py", ".pyw")


class TaintScanner:
    """Mamori's interprocedural taint engine (rules ``mamori:python/...``)."""

    id: EngineId = ENGINE
    description = (
        "Mamori dataflow engine: untrusted request data reaching SQL, commands, files, HTML, "
        "redirects and other sinks, plus weak hashing, insecure randomness, cookie flags and "
        "hard-coded secrets"
    )

    def __init__(self, options: TaintOptions | None = None) -> None:
        self.options = options or TaintOptions()
        self._models: Models | None = None

    @property
    def models(self) -> Models:
        if self._models is None:
            self._models = load_models(self.options.model_files)
        return self._models

    def scan(self, target: ScanTarget) -> ScanReport:
        sources: dict[str, SourceFile] = {
            p: s for p, s in target.sources.items() if p.endswith(ANALYSED_SUFFIXES)
        }
        cache_dir = None
        if self.options.cache:
            cache_dir = (
                self.options.cache_dir
                or target.options.cache_dir
                or target.root / ".mamori" / "cache"
            )
        result = analyse_sources(
            {p: s.text for p, s in sources.items()},
            options=self.options,
            models=self.models,
            sources=sources,
            cache_dir=cache_dir,
        )
        findings: list[RawFinding] = []
        for hit in result.hits:
            rule = RULES[hit.rule]
            src = sources.get(hit.path)
            findings.append(
                make_finding(
                    source=src,
                    path=hit.path,
                    line=hit.line,
                    end_line=hit.end_line,
                    rule_id=rule.rule_id,
                    engine=ENGINE,
                    cwe=hit.cwe,
                    message=f"{rule.title}: {hit.message}",
                    severity=rule.severity,
                    confidence=hit.confidence,
                    flow=hit.flow,
                    help_uri=rule.help_uri,
                )
            )
        not_analysed = tuple(
            NotAnalysed(path=p, engine=ENGINE, reason=reason) for p, reason in result.not_analysed
        )
        return ScanReport(
            findings=tuple(findings),
            not_analysed=not_analysed,
            engines=(ENGINE,),
            files_scanned=len(sources) - len(not_analysed),
        )


__all__ = ["AnalysisResult", "Confidence", "TaintScanner", "analyse_sources"]
