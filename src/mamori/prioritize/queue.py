"""The work queue: findings in priority order with their SLA state and risk acceptances.

Reading the queue first expires the risk acceptances whose date has passed (recording each in
the ledger), so that an expired acceptance reopens its finding wherever the queue is shown.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime

from mamori.domain import Finding, FindingId, FindingStatus
from mamori.errors import Error, ExitCode
from mamori.prioritize import sla, ssvc
from mamori.store.interface import RiskAcceptance, Store

ISO = "%Y-%m-%dT%H:%M:%S.%fZ"


class RiskAcceptanceError(Error):
    """A risk acceptance is incomplete or already expired."""

    exit_code = ExitCode.USAGE


@dataclass(frozen=True, kw_only=True)
class QueueItem:
    finding: Finding
    found_at: datetime | None
    sla: sla.SlaStatus
    acceptance: RiskAcceptance | None  # the active one, if any

    def to_jsonable(self) -> dict[str, object]:
        """The finding with its queue state (due date, breach flag, why, acceptance)."""
        from mamori.serialize import to_jsonable

        return {
            **to_jsonable(self.finding),
            "sla": {
                "due": self.sla.due.isoformat() if self.sla.due else None,
                "breached": self.sla.breached,
                "days_left": self.sla.days_left,
            },
            "why": self.why(),
            "risk_acceptance": to_jsonable(self.acceptance),
        }

    def why(self) -> str:
        p = self.finding.priority
        if p is None:
            return "not prioritised yet (run `mamori run` or `mamori scan` again)"
        # "exposure=open" -> "open": the values read well in a narrow column.
        points = ssvc.decision_points(p.ssvc_path)
        values = [x.split("=", 1)[-1].split(" (")[0] for x in points]
        names = ("exploitation", "exposure", "automatable", "impact")
        parts = [", ".join(f"{n} {v}" for n, v in zip(names, values, strict=False))]
        parts.append(f"CVSS {p.cvss_v3_score}")
        if p.kev:
            parts.append("in CISA KEV")
        if p.epss is not None:
            parts.append(f"EPSS {p.epss:.3f}")
        return "; ".join(parts)


def format_time(value: datetime) -> str:
    return value.astimezone(UTC).strftime(ISO)


def reopen_expired(store: Store, now: datetime) -> list[RiskAcceptance]:
    """Expire the acceptances that ended by ``now``; each one's finding is back in the queue."""
    with store.transaction():
        expired = store.expire_risk_acceptances(format_time(now))
        for a in expired:
            store.record(
                "risk.acceptance_expired",
                actor="mamori:sla",
                subject=a.finding_id,
                payload={"owner": a.owner, "reason": a.reason, "expires": a.expires},
            )
    return expired


def active_acceptances(store: Store, repo: str, now: datetime) -> dict[FindingId, RiskAcceptance]:
    """The repository's risk acceptances still in force at ``now``, by finding (read only: one
    past its expiry counts as ended even before :func:`reopen_expired` has recorded it)."""
    return {
        FindingId(a.finding_id): a
        for a in store.risk_acceptances(repo, active_only=True)
        if sla.parse_time(a.expires) > now
    }


def accept_risk(
    store: Store,
    finding_id: str,
    *,
    owner: str,
    reason: str,
    expires: datetime,
    actor: str,
    now: datetime | None = None,
) -> RiskAcceptance:
    """Accept a finding's risk until ``expires``; recorded in the ledger with the state change."""
    now = now or datetime.now(UTC)
    if not owner.strip() or not reason.strip():
        raise RiskAcceptanceError("a risk acceptance needs an owner and a reason")
    if expires.tzinfo is None:
        expires = expires.replace(tzinfo=UTC)
    if expires <= now:
        raise RiskAcceptanceError(f"the expiry {expires.isoformat()} is not in the future")
    finding = store.get_finding(FindingId(finding_id))
    with store.transaction():
        acceptance = store.accept_risk(
            finding.id, owner=owner, reason=reason, expires=format_time(expires), actor=actor
        )
        store.record(
            "risk.accepted",
            actor=actor,
            subject=finding.id,
            payload={"owner": owner, "reason": reason, "expires": acceptance.expires},
        )
    return acceptance


def queue(
    store: Store,
    repo: str,
    *,
    statuses: Collection[FindingStatus] | None,
    now: datetime | None = None,
    include_accepted: bool = False,
) -> list[QueueItem]:
    """The repository's findings, most urgent first (SSVC decision, then due date, then risk)."""
    now = now or datetime.now(UTC)
    reopen_expired(store, now)
    started = {r.id: sla.parse_time(r.started_at) for r in store.list_runs(repo)}
    active = active_acceptances(store, repo, now)
    items: dict[FindingId, QueueItem] = {}
    for f in store.findings(repo, statuses=statuses):
        acceptance = active.get(f.id)
        if acceptance is not None and not include_accepted:
            continue
        found = started.get(f.first_seen_run) if f.first_seen_run else None
        state = sla.status(f, found, now)
        if acceptance is not None or f.status not in sla.OPEN_STATUSES:
            # Accepted or closed: the clock is stopped, nothing can be in breach.
            state = sla.SlaStatus(due=state.due, breached=False, days_left=state.days_left)
        items[f.id] = QueueItem(finding=f, found_at=found, sla=state, acceptance=acceptance)
    ordered = sla.queue_order([i.finding for i in items.values()], lambda f: items[f.id].sla.due)
    return [items[f.id] for f in ordered]
