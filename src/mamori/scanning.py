"""Scan-only mode (``mamori scan``): engines and in-memory triage, nothing stored or changed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from mamori.config import Config
from mamori.domain import Finding, ScanReport
from mamori.errors import NotARepositoryError
from mamori.scan.runner import line_reader, plan_from_config, run_scan
from mamori.triage.stage import triage


@dataclass(frozen=True, kw_only=True)
class ScanOnlyResult:
    root: Path
    report: ScanReport
    findings: tuple[Finding, ...]
    notes: tuple[str, ...]


def scan_only(
    path: Path,
    *,
    engines: tuple[str, ...] | None = None,
    sarif_imports: tuple[Path, ...] = (),
    advisory_db: Path | None = None,
    progress: Callable[[str], None] | None = None,
) -> ScanOnlyResult:
    root = path.resolve()
    if not root.is_dir():
        raise NotARepositoryError(f"{path} is not a directory")
    config = Config.load(root)
    plan = plan_from_config(
        root, config, engines=engines, sarif_imports=sarif_imports, advisory_db=advisory_db
    )
    report, target = run_scan(plan, progress=progress)

    result = triage(
        repo=str(root),
        run_id=None,
        raws=report.findings,
        sources=target.sources,
        read_line=line_reader(root, target),
    )
    from mamori.prioritize.risk import PriorityOptions, prioritise

    findings = prioritise(result.findings, config.asset_for, PriorityOptions.from_config(config))
    return ScanOnlyResult(root=root, report=report, findings=tuple(findings), notes=result.notes)
