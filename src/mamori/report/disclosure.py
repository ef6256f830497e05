"""Coordinated disclosure of vulnerabilities found in third-party code.

A case moves forward only: reported -> acknowledged -> fix available -> published. Each step
has a deadline (acknowledgement within ``ack_days`` of the report, a fix within ``fix_days``,
publication once the embargo ends and a fix exists); :func:`overdue` names the steps that are
late. Publishing before the embargo date is refused. Every change is recorded in the ledger.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta

from mamori.domain import DisclosureState, FindingId
from mamori.errors import Error, ExitCode
from mamori.store.interface import DisclosureCase, DisclosureStep, Store

ORDER = list(DisclosureState)


class DisclosureError(Error):
    """A disclosure step is out of order or breaks the embargo."""

    exit_code = ExitCode.NOT_PERMITTED


@dataclass(frozen=True, kw_only=True)
class DisclosurePolicy:
    ack_days: int = 7  # the vendor should acknowledge within a week
    fix_days: int = 90  # the industry-standard 90-day deadline for a fix


@dataclass(frozen=True, kw_only=True)
class Overdue:
    case_id: str
    step: DisclosureState  # the step that is late
    due: date
    days_late: int


def _iso(now: datetime) -> str:
    return now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _at(step: DisclosureStep) -> datetime:
    value = datetime.fromisoformat(step.at.replace("Z", "+00:00"))
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def open_case(
    store: Store,
    *,
    repo: str,
    title: str,
    vendor: str,
    contact: str,
    actor: str,
    embargo: date | None = None,
    finding_id: str | None = None,
    now: datetime | None = None,
) -> DisclosureCase:
    """Record that the vulnerability was reported to ``vendor`` (the first step)."""
    now = now or datetime.now(UTC)
    if not title.strip() or not vendor.strip() or not contact.strip():
        raise DisclosureError("a disclosure case needs a title, a vendor and a contact")
    fid: FindingId | None = None
    if finding_id:
        fid = store.get_finding(FindingId(finding_id)).id
    digest = hashlib.sha256(f"{repo}\n{title}\n{vendor}\n{_iso(now)}".encode()).hexdigest()
    case = DisclosureCase(
        id=f"D-{digest[:10]}",
        repo=repo,
        title=title,
        vendor=vendor,
        contact=contact,
        state=DisclosureState.REPORTED,
        history=(DisclosureStep(state=DisclosureState.REPORTED, at=_iso(now)),),
        created_at=_iso(now),
        finding_id=fid,
        embargo=embargo.isoformat() if embargo else None,
    )
    with store.transaction():
        store.save_disclosure(case)
        store.record(
            "disclosure.reported",
            actor=actor,
            subject=case.id,
            payload={
                "vendor": vendor,
                "contact": contact,
                "embargo": case.embargo,
                "finding": fid,
                "title": title,
            },
        )
    return case


def advance(
    store: Store,
    case_id: str,
    state: DisclosureState,
    *,
    actor: str,
    note: str = "",
    now: datetime | None = None,
) -> DisclosureCase:
    """Move a case to a later step (steps may be skipped, never repeated or reversed)."""
    now = now or datetime.now(UTC)
    case = store.get_disclosure(case_id)
    if ORDER.index(state) <= ORDER.index(case.state):
        raise DisclosureError(f"case {case.id} is already {case.state.value}; cannot go to {state}")
    if (
        state is DisclosureState.PUBLISHED
        and case.embargo
        and now.date() < date.fromisoformat(case.embargo)
    ):
        raise DisclosureError(
            f"case {case.id} is under embargo until {case.embargo}",
            hint="publish on or after the embargo date, or agree a new date with the vendor",
        )
    updated = replace(
        case,
        state=state,
        history=(*case.history, DisclosureStep(state=state, at=_iso(now), note=note)),
    )
    with store.transaction():
        store.save_disclosure(updated)
        store.record(
            f"disclosure.{state.value}",
            actor=actor,
            subject=case.id,
            payload={"note": note, "previous": case.state.value},
        )
    return updated


def overdue(
    case: DisclosureCase, now: datetime, policy: DisclosurePolicy | None = None
) -> Overdue | None:
    """The next step of ``case`` if it is past its deadline."""
    policy = policy or DisclosurePolicy()
    if case.state is DisclosureState.PUBLISHED:
        return None
    reported = _at(case.history[0])
    due: date | None
    if case.state is DisclosureState.REPORTED:
        step, due = DisclosureState.ACKNOWLEDGED, (reported + timedelta(policy.ack_days)).date()
    elif case.state is DisclosureState.ACKNOWLEDGED:
        step, due = DisclosureState.FIX_AVAILABLE, (reported + timedelta(policy.fix_days)).date()
    else:
        # A fix exists: publish when the embargo ends (or right away without one).
        step = DisclosureState.PUBLISHED
        due = date.fromisoformat(case.embargo) if case.embargo else _at(case.history[-1]).date()
    late = (now.date() - due).days
    if late <= 0:
        return None
    return Overdue(case_id=case.id, step=step, due=due, days_late=late)
