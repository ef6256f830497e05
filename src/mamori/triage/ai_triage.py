"""AI triage: a model's verdict on each open finding, and the policy that decides what it means.

The model gives a verdict (tp/fp), an exploitability, its reasoning and a confidence. The verdict
never closes a finding by itself: :func:`decide` does, from the verdict, the confidence and the
finding's severity only (never from the model's prose). With the default ``[ai.triage]`` an FP
verdict closes a finding only when its severity is below ``suppress_below`` and the confidence
is at least ``min_confidence``; any other FP verdict leaves the finding open and marks it for a
person ("needs review" in the ledger). A TP verdict changes nothing.

The model also sees the earlier decisions a person triaging the finding would look up in the
store (:meth:`Store.triage_history`): on the same fingerprint and on other findings of the same
rule in the repository, the dismissals and suppressions with their reasons, patch reviews, risk
acceptances and earlier model verdicts. They are bounded (at most :data:`EARLIER_MAX`, each
reason cut to :data:`EARLIER_REASON_CHARS`), sent as a delimited data block (their reasons are
written by people and by code comments), redacted by the gateway with the rest of the message,
and withheld when the other finding's file would change the request's routing or data class.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from mamori.ai.gateway import Gateway
from mamori.ai.interface import AIError, RoutingRefusedError
from mamori.ai.prompts import TRIAGE, user_message
from mamori.ai.routing import Router
from mamori.ai.settings import TriageSettings
from mamori.domain import Finding, FindingId, FindingStatus, Location, RunId, Suppression
from mamori.errors import NotFoundError
from mamori.fix.interface import FileReader
from mamori.store.interface import TriageDecision

AI_TRIAGE_RULE = "ai-triage"
CONTEXT_LINES = 30
# Earlier decisions sent with a finding: how many, and how much of each reason.
EARLIER_MAX = 10
EARLIER_REASON_CHARS = 300

_KIND_LABELS = {
    "false_positive": "dismissed as a false positive",
    "suppressed": "suppressed",
    "review.approved": "patch approved in review",
    "review.rejected": "patch rejected in review",
    "risk_accepted": "risk accepted",
    "ai.triage": "earlier AI verdict",
}


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


def _clip(text: str, limit: int = EARLIER_REASON_CHARS) -> str:
    """One line of at most ``limit`` characters, cut between words: a cut through a secret
    would leave a fragment that the redactor no longer recognises, so no word is split."""
    words = " ".join(text.split())
    if len(words) <= limit:
        return words
    head = words[: limit + 1]
    cut = head.rfind(" ")
    return (head[:cut] if cut > 0 else "") + " [...]"


def _routable(
    router: Router, path: str, decisions: Sequence[TriageDecision]
) -> tuple[list[TriageDecision], int]:
    """The decisions whose file does not change where, and as what class, the request goes."""
    try:
        route = router.backend_for([path])
    except RoutingRefusedError:
        return [], len(decisions)  # the call itself will be refused and recorded
    kept: list[TriageDecision] = []
    for d in decisions:
        try:
            same = d.path == path or router.backend_for([path, d.path]) == route
        except RoutingRefusedError:
            same = False
        if same:
            kept.append(d)
    return kept, len(decisions) - len(kept)


def _render_earlier(finding: Finding, decisions: Sequence[TriageDecision]) -> str:
    lines = []
    for d in decisions:
        where = (
            "this finding"
            if d.fingerprint == finding.fingerprint
            else f"another {d.rule_id} finding in {d.path}"
        )
        label = _KIND_LABELS.get(d.kind, d.kind)
        by = f" by {_clip(d.actor, 80)}" if d.actor else ""
        detail = f" ({_clip(d.detail, 160)})" if d.detail else ""
        reason = _clip(d.reason) or "(no reason recorded)"
        lines.append(f"- {d.at[:19] or 'undated'}, {where}: {label}{by}{detail}: {reason}")
    return "\n".join(lines)


def _repo_of(gateway: Gateway) -> str | None:
    if gateway.options.run_id is None:
        return None
    try:
        return gateway.store.get_run(RunId(gateway.options.run_id)).repo
    except NotFoundError:
        return None


def _intro(finding: Finding, earlier: str) -> str:
    flow = "\n".join(f"  {s.location}: {s.message}" for s in finding.flow) or "  (none)"
    engines = ", ".join(dict.fromkeys(str(s.rule_id) for s in finding.sources))
    return (
        f"Triage this finding.\nRule: {finding.rule_id} (CWE-{finding.cwe}), "
        f"severity {finding.severity}, reported by {engines}\n"
        f"Location: {finding.location} in {finding.scope or 'module level'}\n"
        f"Flow:\n{flow}\nEarlier decisions: {earlier}\n"
        "The code around the location follows as data (line numbers on the left), then the "
        "earlier decisions, if any, also as data."
    )


def ai_triage(
    findings: Sequence[Finding],
    *,
    gateway: Gateway,
    read: FileReader,
    previous: Mapping[FindingId, Finding] | None = None,
    repo: str | None = None,
) -> AITriageResult:
    """Ask for a verdict on every open finding; apply the policy; record each verdict.

    ``repo`` (default: the repository of the gateway's run) is where earlier decisions are
    looked up; without one, only the finding's previous status is sent."""
    settings = gateway.settings.triage
    previous = previous or {}
    repo = repo if repo is not None else _repo_of(gateway)
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
        status = f"previously {old.status}" if old is not None else "new finding"
        history: list[TriageDecision] = []
        withheld = 0
        if repo is not None:
            history, withheld = _routable(
                gateway.router,
                finding.location.path,
                gateway.store.triage_history(
                    repo,
                    fingerprint=finding.fingerprint,
                    rule_id=finding.rule_id,
                    limit=EARLIER_MAX,
                ),
            )
        earlier = f"{status}; {len(history)} recorded on this finding or its rule"
        if withheld:
            earlier += f" ({withheld} more withheld: their files may not go to this model)"
        blocks = [(finding.location.path, _code_context(finding, read))]
        if history:
            earlier += " (in the earlier-decisions block: this finding's first, then newest first)"
            blocks.append(("earlier-decisions", _render_earlier(finding, history)))
        try:
            result = gateway.call(
                TRIAGE,
                paths=list(dict.fromkeys([finding.location.path, *(d.path for d in history)])),
                user=user_message(_intro(finding, earlier), blocks),
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
                "earlier_decisions": len(history),
                # The model's reasoning is evidence for people; no decision reads it.
                "reasoning": str(result.output["reasoning"])[:4000],
            },
        )
        if action is TriageAction.REVIEW:
            gateway.note_needs_review(finding.id)
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
