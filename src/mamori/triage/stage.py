"""The triage stage: raw findings in, triaged findings (with deltas against the store) out."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace

from mamori.domain import (
    Delta,
    Finding,
    FindingStatus,
    Location,
    RawFinding,
    RunId,
    Suppression,
)
from mamori.scan.source import SourceFile
from mamori.triage.dedupe import dedupe
from mamori.triage.falsepositive import dismissal_reason
from mamori.triage.interface import TriageResult
from mamori.triage.reachability import DataflowCoverage, no_flow_reason
from mamori.triage.suppressions import find_suppression

# Statuses that a new detection does not override: a person or the pipeline already acted.
_STICKY = {FindingStatus.IN_REVIEW, FindingStatus.FIX_DELIVERED}


def _line_reader(read_line: Callable[[str, int], str], path: str) -> Callable[[int], str]:
    def line_of(n: int) -> str:
        return read_line(path, n)

    return line_of


def triage(
    *,
    repo: str,
    run_id: RunId | None,
    raws: Sequence[RawFinding],
    sources: Mapping[str, SourceFile],
    read_line: Callable[[str, int], str],
    previous: Sequence[Finding] = (),
    was_analysed: Callable[[Finding], bool] = lambda f: True,
    dataflow: DataflowCoverage | None = None,
) -> TriageResult:
    """De-duplicate, suppress, dismiss evident false positives, and compare with ``previous``.

    ``was_analysed(f)`` tells whether the file of a previously known finding was analysed again
    by the engines that reported it; only then can its absence mean "fixed" (fail closed).
    ``dataflow``: what the taint engine analysed in this run; open pattern-only findings it
    found no flow to are listed in ``unreached`` with the reason (None: no such evidence).
    """
    notes: list[str] = []
    current: list[Finding] = []
    for finding in dedupe(repo, raws):
        path = finding.location.path
        suppression, note = find_suppression(finding, _line_reader(read_line, path))
        if note:
            notes.append(note)
        status = FindingStatus.OPEN
        if suppression is not None:
            status = FindingStatus.SUPPRESSED
        else:
            reason = dismissal_reason(finding, sources.get(path))
            if reason:
                status = FindingStatus.FALSE_POSITIVE
                suppression = Suppression(
                    rule="triage", reason=reason, location=Location(path=path, start_line=0)
                )
        current.append(replace(finding, status=status, suppression=suppression))

    prev_by_fp = {f.fingerprint: f for f in previous}
    result: list[Finding] = []
    for f in current:
        old = prev_by_fp.get(f.fingerprint)
        if old is None:
            result.append(replace(f, delta=Delta.NEW, first_seen_run=run_id, last_seen_run=run_id))
            continue
        delta = Delta.REOPENED if old.status is FindingStatus.FIXED else Delta.STILL_OPEN
        status = f.status
        if status is FindingStatus.OPEN and old.status in _STICKY:
            status = old.status
        result.append(
            replace(
                f,
                id=old.id,
                status=status,
                delta=delta,
                first_seen_run=old.first_seen_run,
                last_seen_run=run_id,
            )
        )

    unreached = tuple(
        (f.id, reason)
        for f in result
        if f.status is FindingStatus.OPEN and (reason := no_flow_reason(f, dataflow)) is not None
    )
    seen = {f.fingerprint for f in current}
    fixed = tuple(
        replace(old, status=FindingStatus.FIXED, delta=Delta.FIXED)
        for old in previous
        if old.fingerprint not in seen
        and old.status is not FindingStatus.FIXED
        and was_analysed(old)
    )
    return TriageResult(
        findings=tuple(result), fixed=fixed, notes=tuple(notes), unreached=unreached
    )
