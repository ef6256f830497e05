"""How the pipeline uses the AI tasks: one place, so that ``pipeline.py`` changes little.

With no ``[ai]`` section, or no backend whose key is present, every function here returns
"nothing to do" and the run notes ``AI stages skipped: ...``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from mamori.ai.gateway import Gateway, GatewayOptions
from mamori.config import Config
from mamori.domain import Finding, FindingId, FindingStatus
from mamori.errors import GitError
from mamori.fix.interface import FileReader
from mamori.fix.stage import FixOutcome
from mamori.scan.ai_review import AIReviewOptions, AIReviewScanner
from mamori.store.interface import Store

SKIPPED_NO_BACKEND = "AI stages skipped: no model backend configured"

# Deterministic-fixer reasons after which an AI patch is tried. A fixer that failed with a bug is
# not papered over by a model.
_AI_PATCHABLE = ("no fixer for", "declined")


def open_gateway(config: Config, store: Store, run_id: str) -> tuple[Gateway | None, str]:
    """The run's gateway, or None and the note that says why the AI stages are skipped."""
    if config.ai is None or not config.ai.backends:
        return None, SKIPPED_NO_BACKEND
    return Gateway.from_settings(config.ai, store, GatewayOptions(run_id=run_id))


def changed_since_last_run(store: Store, root: Path, head: str) -> tuple[str, ...]:
    """Files changed between the last completed run's commit and ``head`` (for AI review)."""
    from mamori.gitutil import git

    last = store.latest_run(str(root))
    if last is None or not last.head_commit or last.head_commit == head:
        return ()
    try:
        proc = git(["diff", "--name-only", last.head_commit, head], cwd=root)
    except GitError:
        return ()  # the old commit is gone (rewritten history): review entry points only
    return tuple(line for line in proc.stdout.splitlines() if line.endswith(".py"))


def ai_patch_candidates(
    findings: Sequence[Finding], unfixable: Sequence[tuple[FindingId, str]]
) -> list[Finding]:
    """Findings no deterministic fixer handled (dependency findings excluded: manifests are
    never changed by an AI patch)."""
    by_id = {f.id: f for f in findings}
    out = []
    for fid, reason in unfixable:
        f = by_id.get(fid)
        if f is not None and f.dependency is None and any(k in reason for k in _AI_PATCHABLE):
            out.append(f)
    return out


def review_scanner(gateway: Gateway, store: Store, root: Path, head: str) -> AIReviewScanner:
    """The AI review engine for this run.

    Files with open ``ai`` findings are reviewed again first: absence of a finding in a file the
    model did not look at must not read as "fixed". Then files changed since the last run, then
    entry points.
    """
    tasks = gateway.settings.tasks
    flagged = tuple(
        dict.fromkeys(
            f.location.path
            for f in store.findings(str(root), statuses=[FindingStatus.OPEN])
            if "ai" in f.engines
        )
    )
    return AIReviewScanner(
        gateway,
        AIReviewOptions(
            max_files=tasks.review_max_files,
            max_file_chars=tasks.max_file_chars,
            changed=(*flagged, *changed_since_last_run(store, root, head)),
        ),
    )


def add_ai_patches(
    gateway: Gateway,
    findings: Sequence[Finding],
    outcome: FixOutcome,
    *,
    read: FileReader,
    requested_by: str,
) -> FixOutcome:
    """``outcome`` plus AI patches for the findings no deterministic fixer handled."""
    from mamori.fix.ai_patch import propose_ai_patches

    candidates = ai_patch_candidates(findings, outcome.unfixable)
    if not candidates:
        return outcome
    ai = propose_ai_patches(candidates, gateway=gateway, read=read, requested_by=requested_by)
    patched = {p.finding_id for p in ai.patches}
    ai_reasons = dict(ai.unfixable)
    unfixable = tuple(
        (fid, f"{reason}; {ai_reasons[fid]}" if fid in ai_reasons else reason)
        for fid, reason in outcome.unfixable
        if fid not in patched
    )
    return FixOutcome(patches=(*outcome.patches, *ai.patches), unfixable=unfixable)


def usage_notes(gateway: Gateway | None) -> list[str]:
    """One line on what the run's model calls cost, and every reason calls were not made."""
    if gateway is None or gateway.options.run_id is None:
        return []
    calls = gateway.log.calls(run_id=gateway.options.run_id)
    if not calls:
        return ["AI: no model calls were made"]
    tokens = sum(int(c["input_tokens"]) + int(c["output_tokens"]) for c in calls)
    cost = sum(float(c["cost"]) for c in calls)
    ok = sum(c["outcome"] == "ok" for c in calls)
    line = (
        f"AI: {len(calls)} calls recorded ({ok} ok), {tokens} tokens, cost {cost:.4f} "
        f"(team {gateway.settings.team}; `mamori ai usage` for the totals)"
    )
    review = []
    if gateway.needs_review:
        ids = gateway.needs_review
        shown = ", ".join(ids[:5]) + (f" and {len(ids) - 5} more" if len(ids) > 5 else "")
        review.append(
            f"AI triage: the model called {len(ids)} finding(s) false positive(s) that the "
            f"[ai.triage] policy does not close alone; they stay open for a person: {shown} "
            "(`mamori show F-...`; the verdicts are ai.triage events in the ledger)"
        )
    return [line, *review, *gateway.stops.values()]
