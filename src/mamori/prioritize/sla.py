"""SLA policy: a due date per SSVC decision, breach flags, and the queue order."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from mamori.domain import Finding, FindingStatus

# Statuses that still need work: the SLA clock runs for these only.
OPEN_STATUSES = frozenset({FindingStatus.OPEN, FindingStatus.IN_REVIEW})


@dataclass(frozen=True, kw_only=True)
class SlaStatus:
    due: date | None  # None: no deadline
    breached: bool
    days_left: int | None

    def describe(self) -> str:
        if self.due is None:
            return "no deadline"
        if self.breached:
            return f"BREACHED (due {self.due.isoformat()})"
        return f"due {self.due.isoformat()} ({self.days_left} d)"


def parse_time(text: str) -> datetime:
    """An ISO 8601 timestamp or date (naive values are UTC)."""
    value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def due_date(found_at: datetime, sla_days: int | None) -> date | None:
    return None if sla_days is None else (found_at + timedelta(days=sla_days)).date()


def status(
    finding: Finding, found_at: datetime | None, now: datetime, *, closed_at: datetime | None = None
) -> SlaStatus:
    """Whether ``finding`` is (or was, when closed at ``closed_at``) past its due date."""
    days = finding.priority.sla_days if finding.priority else None
    due = due_date(found_at, days) if found_at is not None else None
    if due is None:
        return SlaStatus(due=None, breached=False, days_left=None)
    end = closed_at or now
    return SlaStatus(due=due, breached=end.date() > due, days_left=(due - now.date()).days)


def queue_order(
    findings: Sequence[Finding], due_of: Callable[[Finding], date | None]
) -> list[Finding]:
    """Highest SSVC decision first, then the earliest due date, then the highest risk score."""

    def key(f: Finding) -> tuple[int, date, float, str, int]:
        rank = f.priority.ssvc.rank if f.priority else -1
        return (-rank, due_of(f) or date.max, -f.risk_score, f.location.path, f.location.start_line)

    return sorted(findings, key=key)
