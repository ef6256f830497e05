"""AI triage: a model's verdict on each open finding, and the policy that decides what it means.

The model gives a verdict (tp/fp), an exploitability, its reasoning and a confidence. The verdict
never closes a finding by itself: :func:`decide` does, from the verdict, the confidence and the
finding's severity only (never from the model's prose). With the default ``[ai.triage]`` an FP
verdict closes a finding only when its severity is below ``suppress_below`` and the confidence
is at least ``min_confidence``; any other FP verdict leaves the finding open and marks it for a
person ("needs review" in the ledger). A TP verdict changes nothing.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from mamori.ai.gateway import Gateway
from mamori.ai.interface import AIError
from mamori.ai.prompts import TRIAGE, user_message
from mamori.ai.settings import TriageSettings
from mamori.domain import Finding, FindingId, FindingStatus, Location, Suppression
from mamori.fix.interface import FileReader

AI_TRIAGE_RULE = "ai-triage"
CONTEXT_LINES = 30


class TriageAction(enum.StrEnum):
    KEEP = "keep"  # true positive, or nothing to do
    CLOSE = "false_positive"  # the policy accepted the FP verdict
    REVIEW = "needs_review"  # FP verdict the policy does not accept alone: a person decides


@dataclass(frozen=True, kw_only=True)
class AIVerdict:
    finding_id: FindingId
    verdict: str  # "tp" or "fp"
    exploitability: str
    confidence: float
    action: TriageAction
    policy_reason: str
    backend: str
    model: str


@dataclass(frozen=True, kw_only=True)
class AITriageResult:
    findings: tuple[Finding, ...]
    verdicts: tuple[AIVerdict, ...]
    failures: tuple[tuple[FindingId, str], ...]


def decide(
    *, verdict: str, confidence: float, finding: Finding, settings: TriageSettings
) -> tuple[TriageAction, str]:
    """The policy: structured fields only, fail closed (anything unclear keeps it open)."""
    if verdict != "fp":
        return TriageAction.KEEP, "the model did not call it a false positive"
    if finding.severity.rank >= settings.suppress_below.rank:
        return (
            TriageAction.REVIEW,
            f"severity {finding.severity} is not below {settings.suppress_below}: a person decides",
        )
    if confidence < settings.min_confidence:
        return (
            TriageAction.REVIEW,
            f"confidence {confidence:.2f} is below {settings.min_confidence:.2f}: a person decides",
        )
    return (
        TriageAction.CLOSE,
        f"severity {finding.severity} below {settings.suppress_below} and confidence "
        f"{confidence:.2f} >= {settings.min_confidence:.2f}",
    )


def _code_context(finding: Finding, read: FileReader) -> str:
    try:
        lines = read(finding.location.path).splitlines()
    except (OSError, LookupError):
        return "(the file could not be read)"
    start = max(1, finding.location.start_line - CONTEXT_LINES)
    end = min(
        len(lines), (finding.location.end_line or finding.location.start_line) + CONTEXT_LINES
    )
    return "\n".join(f"{n:5d}  {lines[n - 1]}" for n in range(start, end + 1))


def _intro(finding: Finding, earlier: str) -> str:
    flow = "\n".join(f"  {s.location}: {s.message}" for s in finding.flow) or "  (none)"
    engines = ", ".join(f"{s.engine}:{s.rule_id}" for s in finding.sources)
    return (
        f"Triage this finding.\nRule: {finding.rule_id} (CWE-{finding.cwe}), "
        f"severity {finding.severity}, reported by {engines}\n"
        f"Location: {finding.location} in {finding.scope or 'module level'}\n"
        f"Flow:\n{flow}\nEarlier decisions: {earlier}\n"
        "The code around the location follows as data (line numbers on the left)."
    )


def ai_triage(
    findings: Sequence[Finding],
    *,
    gateway: Gateway,
    read: FileReader,
    previous: Mapping[FindingId, Finding] | None = None,
) -> AITriageResult:
    """Ask for a verdict on every open finding; apply the policy; record each verdict."""
    settings = gateway.settings.triage
    previous = previous or {}
    # A finding is asked about once: its verdict was recorded (and acted on) when it was new.
    answered = gateway.log.answered(TRIAGE.task)
    out: list[Finding] = []
    verdicts: list[AIVerdict] = []
    failures: list[tuple[FindingId, str]] = []
    for finding in findings:
        if finding.status is not FindingStatus.OPEN:
            out.append(finding)
            continue
        old = previous.get(finding.id)
        if (
            old is not None
            and old.status is FindingStatus.FALSE_POSITIVE
            and old.suppression is not None
            and old.suppression.rule == AI_TRIAGE_RULE
        ):
            # Decided in an earlier run under the policy; not asked again.
            out.append(replace(finding, status=old.status, suppression=old.suppression))
            continue
        if finding.id in answered:
            out.append(finding)
            continue
        earlier = f"previously {old.status}" if old is not None else "none (new finding)"
        try:
            result = gateway.call(
                TRIAGE,
                paths=[finding.location.path],
                user=user_message(
                    _intro(finding, earlier),
                    [(finding.location.path, _code_context(finding, read))],
                ),
                subject=finding.id,
            )
        except AIError as e:
            failures.append((finding.id, e.message))
            out.append(finding)
            continue
        verdict = str(result.output["verdict"])
        confidence = float(result.output["confidence"])
        action, why = decide(
            verdict=verdict, confidence=confidence, finding=finding, settings=settings
        )
        v = AIVerdict(
            finding_id=finding.id,
            verdict=verdict,
            exploitability=str(result.output["exploitability"]),
            confidence=confidence,
            action=action,
            policy_reason=why,
            backend=result.backend,
            model=result.model,
        )
        verdicts.append(v)
        gateway.store.record(
            "ai.triage",
            actor=f"ai:{result.backend}",
            run_id=gateway.options.run_id,
            subject=finding.id,
            payload={
                "verdict": v.verdict,
                "exploitability": v.exploitability,
                "confidence": v.confidence,
                "action": v.action,
                "policy": why,
                "model": v.model,
                # The model's reasoning is evidence for people; no decision reads it.
                "reasoning": str(result.output["reasoning"])[:4000],
            },
        )
        if action is TriageAction.CLOSE:
            closed = replace(
                finding,
                status=FindingStatus.FALSE_POSITIVE,
                suppression=Suppression(
                    rule=AI_TRIAGE_RULE,
                    reason=f"AI triage ({v.model}): false positive; policy: {why}",
                    location=Location(path=finding.location.path, start_line=0),
                ),
            )
            out.append(closed)
        else:
            out.append(finding)
    return AITriageResult(findings=tuple(out), verdicts=tuple(verdicts), failures=tuple(failures))
