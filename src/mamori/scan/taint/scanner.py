"""The ``mamori`` engine: Mamori's own dataflow analysis as a Scanner.

:func:`analyse_sources` is the pure core (file texts in, hits out); :class:`TaintScanner` wraps it
for the pipeline, turning hits into :class:`~mamori.domain.RawFinding` values with
:func:`mamori.scan.source.make_finding` so that scope and fingerprint are computed the shared way.
"""

from __future__ import annotations

import ast
import re
import warnings
from collections.abc import Mapping
from dataclasses import dataclass

from mamori.domain import Confidence, EngineId, NotAnalysed, RawFinding, ScanReport
from mamori.scan.interface import ScanTarget
from mamori.scan.source import SourceFile, make_finding
from mamori.scan.taint.analysis import Hit, Project
from mamori.scan.taint.context import find_hardcoded_secrets
from mamori.scan.taint.models import Models, load_models
from mamori.scan.taint.module import ModuleInfo, build_module
from mamori.scan.taint.options import TaintOptions
from mamori.scan.taint.rules import ENGINE_ID, RULES

ENGINE = EngineId(ENGINE_ID)
_TEST_FILE = re.compile(
    r"(^|/)(tests?|testing)/|(^|/)test_[^/]*\.py$|_test\.py$|(^|/)conftest\.py$"
)


@dataclass(frozen=True, slots=True, kw_only=True)
class AnalysisResult:
    hits: tuple[Hit, ...]
    not_analysed: tuple[tuple[str, str], ...]  # (path, reason)


def _parse(path: str, text: str) -> ast.Module | str:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", SyntaxWarning)
            return ast.parse(text, filename=path)
    except SyntaxError as e:
        return f"not parsable by this Python's ast ({e.msg}, line {e.lineno})"
    except (ValueError, RecursionError, MemoryError) as e:
        return f"cannot be parsed: {type(e).__name__}: {e}"


def analyse_sources(
    files: Mapping[str, str], *, options: TaintOptions | None = None, models: Models | None = None
) -> AnalysisResult:
    """Analyse ``files`` (repository-relative path -> text) together; a pure function.

    Every file is analysed; calls between them are followed through function summaries.
    """
    opts = options or TaintOptions()
    mdl = models or load_models(opts.model_files)
    request_names = frozenset(n for rp in mdl.request_params for n in rp.names)
    request_annotations = frozenset(a for rp in mdl.request_params for a in rp.annotations)
    modules: list[ModuleInfo] = []
    skipped: list[tuple[str, str]] = []
    for path in sorted(files):
        tree = _parse(path, files[path])
        if isinstance(tree, str):
            skipped.append((path, tree))
            continue
        modules.append(
            build_module(
                path, tree, request_names=request_names, request_annotations=request_annotations
            )
        )
    project = Project(modules, mdl, opts)
    hits = list(project.run())
    for mod in modules:
        if not opts.context_rules_in_tests and _TEST_FILE.search(mod.path):
            continue
        for s in find_hardcoded_secrets(mod.tree):
            hits.append(
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
            )
    hits.sort(key=lambda h: (h.path, h.line, h.rule))
    return AnalysisResult(hits=tuple(hits), not_analysed=tuple(skipped))


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
            p: s
            for p, s in target.sources.items()
            if p.endswith((".py", ".pyw", ".pyi")) and not p.endswith(".pyi")
        }
        result = analyse_sources(
            {p: s.text for p, s in sources.items()}, options=self.options, models=self.models
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
