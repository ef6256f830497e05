"""The triage stage: de-duplicate, apply suppressions and false-positive rules, compare runs.

Triage turns the engines' raw findings into :class:`~mamori.domain.Finding` values: one per
fingerprint, with every engine that reported it as a source. Nothing is dropped silently: a
suppressed or dismissed finding keeps its reason and stays in the store.
"""

from __future__ import annotations

from dataclasses import dataclass

from mamori.domain import Finding, FindingId


@dataclass(frozen=True, kw_only=True)
class TriageResult:
    findings: tuple[Finding, ...]  # detected in this run (any status)
    fixed: tuple[Finding, ...]  # known before, analysed again, no longer detected
    notes: tuple[str, ...] = ()  # e.g. suppressions ignored because they had no reason
    # Open pattern-only findings the dataflow engine analysed and found unreached, with the
    # reason (see mamori.triage.reachability); they stay open and visible.
    unreached: tuple[tuple[FindingId, str], ...] = ()
