"""The scan stage's interface: engines that turn a repository snapshot into findings.

An engine implements :class:`Scanner`. It receives a :class:`ScanTarget` (the repository root and
the files the inventory found readable) and returns a :class:`~mamori.domain.ScanReport`. Files an
engine cannot read go into ``not_analysed``, never silently dropped. An engine that cannot run at
all raises :class:`EngineUnavailableError` (missing) or :class:`ScanError` (failed).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, runtime_checkable

from mamori.domain import EngineId, NotAnalysed, RawFinding, ScanReport
from mamori.errors import EngineUnavailableError, Error, ExitCode
from mamori.scan.source import SourceFile

__all__ = [
    "EngineUnavailableError",
    "ScanError",
    "ScanOptions",
    "ScanTarget",
    "Scanner",
]

DEFAULT_MAX_FILE_BYTES = 1_000_000


class ScanError(Error):
    """An engine ran but failed; the scan is incomplete and says so."""

    exit_code = ExitCode.ENGINE_UNAVAILABLE


@dataclass(frozen=True, kw_only=True)
class ScanOptions:
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
    exclude: tuple[str, ...] = ()  # glob patterns, repository-relative
    advisory_db: Path | None = None  # OSV directory; None: the bundled subset
    sarif_imports: tuple[Path, ...] = ()  # SARIF files whose results are imported
    cache_dir: Path | None = None  # per-file result cache; None: the engine's default


@dataclass(frozen=True, kw_only=True)
class ScanTarget:
    """A repository snapshot to scan.

    ``files`` lists every repository-relative POSIX path the inventory found (text or not);
    ``sources`` holds the Python files that decoded and parsed, keyed by path. Engines analyse
    Python code only through ``sources`` so that each file is read and parsed once.
    """

    root: Path
    files: tuple[str, ...]
    sources: dict[str, SourceFile] = field(default_factory=dict)
    options: ScanOptions = field(default_factory=ScanOptions)

    def restrict(self, paths: Sequence[str]) -> ScanTarget:
        """The same target limited to ``paths`` (used to re-scan the files a patch changed)."""
        keep = set(paths)
        return ScanTarget(
            root=self.root,
            files=tuple(p for p in self.files if p in keep),
            sources={p: s for p, s in self.sources.items() if p in keep},
            options=self.options,
        )


@runtime_checkable
class Scanner(Protocol):
    """A scan engine. ``id`` is the engine id used as the rule-id namespace (``bandit:B608``)."""

    id: EngineId
    description: str

    def scan(self, target: ScanTarget) -> ScanReport: ...


def merge_reports(reports: Sequence[ScanReport]) -> ScanReport:
    findings: list[RawFinding] = []
    not_analysed: list[NotAnalysed] = []
    engines: list[EngineId] = []
    files = 0
    for r in reports:
        findings.extend(r.findings)
        not_analysed.extend(r.not_analysed)
        engines.extend(e for e in r.engines if e not in engines)
        files = max(files, r.files_scanned)
    return ScanReport(
        findings=tuple(findings),
        not_analysed=tuple(not_analysed),
        engines=tuple(engines),
        files_scanned=files,
    )
