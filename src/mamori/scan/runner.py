"""Run the configured engines over a tree: the one way both ``mamori scan`` and the pipeline scan.

An engine that is asked for but not installed is an error (the user asked for something that
cannot happen). An engine that fails while scanning is recorded as "not analysed" for every file
it was given, and the scan goes on: a failed scanner is never reported as a clean one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from mamori.config import Config
from mamori.domain import EngineId, NotAnalysed, ScanReport
from mamori.registry import Registry
from mamori.scan.interface import ScanError, Scanner, ScanOptions, ScanTarget, merge_reports

SCANNERS: Registry[Scanner] = Registry("mamori.scanners", lambda s: s.id)

# Engines that are not run unless asked for (they need an input file).
_ON_DEMAND = {"sarif"}


def available_engines() -> list[str]:
    return SCANNERS.ids()


def select_scanners(engines: Sequence[str] | None) -> list[Scanner]:
    """The scanners named in ``engines`` (every installed one when None)."""
    if engines is None:
        return [s for s in SCANNERS if s.id not in _ON_DEMAND]
    return [SCANNERS.get(e) for e in engines]


Progress = Callable[[str], None]


@dataclass(frozen=True, kw_only=True)
class ScanPlan:
    root: Path
    options: ScanOptions
    scanners: tuple[Scanner, ...]
    extra: tuple[Scanner, ...] = field(default=())  # e.g. SARIF import, not part of re-scans

    @property
    def engine_ids(self) -> list[str]:
        return [s.id for s in (*self.scanners, *self.extra)]


def plan_from_config(
    root: Path,
    config: Config,
    *,
    engines: Sequence[str] | None = None,
    sarif_imports: tuple[Path, ...] = (),
    advisory_db: Path | None = None,
) -> ScanPlan:
    """The scan ``mamori.toml`` asks for, with the command line's overrides."""
    extra: tuple[Scanner, ...] = ()
    if sarif_imports:
        from mamori.scan.sarif_import import SarifImportScanner

        extra = (SarifImportScanner(sarif_imports),)
    return ScanPlan(
        root=root,
        options=ScanOptions(
            max_file_bytes=config.max_file_bytes,
            exclude=config.exclude,
            advisory_db=advisory_db or config.advisory_db,
            sarif_imports=sarif_imports,
            # In the repository, not in the temporary worktree a run scans, so it outlives it.
            cache_dir=root / ".mamori" / "cache",
        ),
        scanners=tuple(
            _configured(s, config)
            for s in select_scanners(engines if engines is not None else config.engines)
        ),
        extra=extra,
    )


def _configured(scanner: Scanner, config: Config) -> Scanner:
    """``scanner`` with the engine settings of ``mamori.toml`` applied (the registry holds
    instances built with their defaults)."""
    if scanner.id != "mamori":
        return scanner
    from mamori.scan.taint import TaintScanner

    if (
        isinstance(scanner, TaintScanner)
        and scanner.options.entry_point_parameters != config.entry_point_parameters
    ):
        return TaintScanner(
            replace(scanner.options, entry_point_parameters=config.entry_point_parameters)
        )
    return scanner


def run_scan(plan: ScanPlan, *, progress: Progress | None = None) -> tuple[ScanReport, ScanTarget]:
    """Inventory the tree once, then run every engine on it."""
    from mamori.scan.inventory import build_target

    if progress:
        progress("listing and parsing files")
    target, skipped = build_target(plan.root, plan.options)
    report = scan_target(target, (*plan.scanners, *plan.extra), progress=progress)
    return (
        replace(
            report,
            not_analysed=(*skipped, *report.not_analysed),
            files_scanned=len(target.sources) + len(skipped),
        ),
        target,
    )


def scan_target(
    target: ScanTarget, scanners: Sequence[Scanner], *, progress: Progress | None = None
) -> ScanReport:
    reports: list[ScanReport] = []
    for scanner in scanners:
        if progress:
            progress(f"running engine {scanner.id}")
        try:
            reports.append(scanner.scan(target))
        except ScanError as e:
            reports.append(
                ScanReport(
                    findings=(),
                    not_analysed=(
                        NotAnalysed(path="", engine=scanner.id, reason=f"engine failed: {e}"),
                    ),
                    engines=(scanner.id,),
                    files_scanned=0,
                )
            )
    merged = merge_reports(reports)
    return replace(merged, engines=tuple(EngineId(s.id) for s in scanners))


def rescan_paths(
    root: Path, paths: Sequence[str], *, options: ScanOptions, scanners: Sequence[Scanner]
) -> ScanReport:
    """Scan only ``paths`` of the tree at ``root`` (used to verify a patch)."""
    from mamori.scan.inventory import build_target

    target, skipped = build_target(root, replace(options, exclude=()))
    keep = set(paths)
    sub = target.restrict(paths)
    report = scan_target(sub, scanners)
    return replace(
        report, not_analysed=(*(s for s in skipped if s.path in keep), *report.not_analysed)
    )


def line_reader(root: Path, target: ScanTarget) -> Callable[[str, int], str]:
    """``read(path, n)``: line ``n`` of a file, from the parsed source when there is one."""

    def read(path: str, n: int) -> str:
        src = target.sources.get(path)
        if src is not None:
            return src.line(n)
        try:
            lines = (root / path).read_text("utf-8", errors="replace").splitlines()
        except OSError:
            return ""
        return lines[n - 1] if 1 <= n <= len(lines) else ""

    return read
