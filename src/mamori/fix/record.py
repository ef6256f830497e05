"""Fix records: a documented, versioned JSON format for what a patch changed and how it was
proven (in the spirit of CodeTF, the Pixee code-transformation format).

One record per patch; a document holds any number of them::

    {
      "format": "mamori-fix-record", "version": "1.0",
      "tool": {"name": "mamori", "version": "..."},
      "records": [
        {
          "patch_id": "P-...", "finding_id": "F-...", "run_id": "...",
          "fixer": {"id": "mamori:fix/...", "title": "...", "strategy": "deterministic|ai|human"},
          "risk": {"class": "low|medium|high", "reason": "..."},
          "description": "...",
          "finding": {"rule_id": "...", "cwe": 89, "path": "...", "line": 12, "scope": "...",
                      "engines": ["mamori", "bandit"]},
          "changeset": [{"path": "...", "diff": "<unified diff of that file>"}],
          "diff": "<the whole unified diff, as `git apply` takes it>",
          "diff_sha256": "...",
          "verification": null | {"status": "verified|apply_failed|parse_failed|
                   still_vulnerable|new_findings|tests_failed|unverified",
                   "checks": [{"name": "...", "status": "passed|failed|not_run", "detail": "..."}],
                   "environment": "...", "tests_before": {...} | null, "tests_after": {...} | null},
          "state": "proposed|in_review|accepted|delivered|rejected|...",
          "decision": null | {"outcome": "...", "rule": "...", "reasons": [...]},
          "delivery": null | {"branch": "...", "commit": "..."}
        }
      ]
    }

Readers must ignore keys they do not know; a change that removes or re-types a key bumps the
major version. See ``docs/fix-records.md``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

from mamori.domain import Finding, Patch, PatchId, TestSummary, Verification
from mamori.errors import NotFoundError
from mamori.store.interface import PatchRecord, Store

FORMAT = "mamori-fix-record"
VERSION = "1.0"

__all__ = [
    "FORMAT",
    "VERSION",
    "fix_record",
    "fix_record_document",
    "records_from_store",
    "split_diff",
]


def split_diff(diff: str) -> list[dict[str, str]]:
    """The diff cut into one entry per file (``diff --git a/X b/X`` headers)."""
    out: list[dict[str, str]] = []
    current: list[str] = []
    path = ""
    for line in diff.splitlines(keepends=True):
        if line.startswith("diff --git "):
            if current:
                out.append({"path": path, "diff": "".join(current)})
            current = []
            path = line.split(" b/", 1)[-1].strip() if " b/" in line else ""
        elif line.startswith("+++ b/") and not path:
            path = line[6:].strip()
        current.append(line)
    if current:
        out.append({"path": path, "diff": "".join(current)})
    return out


def _tests(summary: TestSummary | None) -> dict[str, Any] | None:
    if summary is None:
        return None
    return {
        "command": list(summary.command),
        "exit_code": summary.exit_code,
        "passed": summary.passed,
        "failed": summary.failed,
        "errors": summary.errors,
        "skipped": summary.skipped,
    }


def _verification(v: Verification | None) -> dict[str, Any] | None:
    if v is None:
        return None
    return {
        "status": v.status.value,
        "checks": [
            {"name": c.name.value, "status": c.status.value, "detail": c.detail} for c in v.checks
        ],
        "environment": v.environment,
        "tests_before": _tests(v.tests_before),
        "tests_after": _tests(v.tests_after),
    }


def fix_record(
    patch: Patch,
    *,
    finding: Finding | None = None,
    record: PatchRecord | None = None,
    verification: Verification | None = None,
    fixer_title: str = "",
) -> dict[str, Any]:
    """The record of one patch (``record`` adds state, decision and delivery when stored)."""
    v = verification or (record.verification if record is not None else None)
    out: dict[str, Any] = {
        "patch_id": patch.id,
        "finding_id": patch.finding_id,
        "run_id": record.run_id if record is not None else None,
        "fixer": {"id": patch.fixer_id, "title": fixer_title, "strategy": patch.strategy.value},
        "risk": {"class": patch.risk.value, "reason": patch.risk_reason},
        "description": patch.description,
        "requested_by": patch.requested_by,
        "finding": None,
        "changeset": split_diff(patch.diff),
        "diff": patch.diff,
        "diff_sha256": hashlib.sha256(patch.diff.encode()).hexdigest(),
        "verification": _verification(v),
        "state": record.state.value if record is not None else None,
        "decision": None,
        "delivery": None,
    }
    if finding is not None:
        out["finding"] = {
            "rule_id": finding.rule_id,
            "cwe": finding.cwe,
            "path": finding.location.path,
            "line": finding.location.start_line,
            "scope": finding.scope,
            "engines": list(finding.engines),
            "fingerprint": finding.fingerprint,
        }
    if record is not None and record.decision is not None:
        d = record.decision
        out["decision"] = {"outcome": d.outcome.value, "rule": d.rule, "reasons": list(d.reasons)}
    if record is not None and record.delivery is not None:
        out["delivery"] = {"branch": record.delivery.branch, "commit": record.delivery.commit}
    return out


def fix_record_document(records: Sequence[dict[str, Any]], *, tool_version: str) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "version": VERSION,
        "tool": {"name": "mamori", "version": tool_version},
        "records": list(records),
    }


def records_from_store(
    store: Store, *, patch_ids: Sequence[str] = (), run_id: str | None = None
) -> list[dict[str, Any]]:
    """The fix records of the stored patches (``patch_ids``: unique id prefixes; neither given:
    every patch of ``run_id``, or of every run). Raises the store's NotFoundError."""
    from mamori.domain import RunId
    from mamori.fix.stage import builtin_fixers

    titles = {str(f.info.id): f.info.title for f in builtin_fixers()}
    if patch_ids:
        recs = [store.get_patch(PatchId(p)) for p in patch_ids]
    else:
        recs = store.patches(run_id=RunId(run_id) if run_id else None)
    out: list[dict[str, Any]] = []
    for rec in recs:
        try:
            finding: Finding | None = store.get_finding(rec.patch.finding_id)
        except NotFoundError:
            finding = None  # the finding was pruned; the record still stands on its own
        out.append(
            fix_record(
                rec.patch,
                finding=finding,
                record=rec,
                fixer_title=titles.get(str(rec.patch.fixer_id), ""),
            )
        )
    return out
