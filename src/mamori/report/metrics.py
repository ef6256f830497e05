"""Programme metrics: MTTR, SLA compliance, auto-accept rate, false positives, backlog.

Everything is derived from the store: when each finding was first seen and when it was found
fixed come from the runs' finding deltas, priorities and owners from the prioritise stage,
gate outcomes from the patches' decisions, and false positives from triage outcomes.
"""

from __future__ import annotations

import html
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from mamori.domain import Delta, Finding, FindingStatus, GateOutcome
from mamori.prioritize.sla import parse_time
from mamori.store.interface import FindingEvent, PatchRecord

_DISMISSED = (FindingStatus.FALSE_POSITIVE, FindingStatus.SUPPRESSED)


@dataclass(frozen=True, kw_only=True)
class Mttr:
    group: str  # a priority (SSVC decision) or a team
    fixed: int
    mean_days: float


@dataclass(frozen=True, kw_only=True)
class RuleFalsePositives:
    engine: str
    rule: str
    findings: int
    false_positives: int

    @property
    def rate(self) -> float:
        return self.false_positives / self.findings if self.findings else 0.0


@dataclass(frozen=True, kw_only=True)
class BacklogPoint:
    run_id: str
    at: str
    open: int


@dataclass(frozen=True, kw_only=True)
class Metrics:
    findings: int
    fixed: int
    mttr_by_priority: tuple[Mttr, ...]
    mttr_by_team: tuple[Mttr, ...]
    sla_tracked: int  # findings with a deadline
    sla_met: int  # fixed by the deadline, or open and not yet due
    sla_breached_open: int
    decisions: int
    auto_accepted: int
    false_positives: tuple[RuleFalsePositives, ...]
    backlog: tuple[BacklogPoint, ...]

    @property
    def sla_compliance(self) -> float | None:
        return self.sla_met / self.sla_tracked if self.sla_tracked else None

    @property
    def auto_accept_rate(self) -> float | None:
        return self.auto_accepted / self.decisions if self.decisions else None


def compute(
    findings: Sequence[Finding],
    events: Sequence[FindingEvent],
    patches: Sequence[PatchRecord],
    *,
    now: datetime | None = None,
) -> Metrics:
    now = now or datetime.now(UTC)
    first_seen: dict[str, datetime] = {}
    fixed_at: dict[str, datetime] = {}
    by_run: dict[str, tuple[str, list[FindingEvent]]] = {}
    for e in events:
        at = parse_time(e.at)
        first_seen.setdefault(e.finding_id, at)
        if e.delta is Delta.FIXED:
            fixed_at[e.finding_id] = at
        elif e.delta is Delta.REOPENED:
            fixed_at.pop(e.finding_id, None)
        by_run.setdefault(e.run_id, (e.at, []))[1].append(e)

    by_priority: dict[str, list[float]] = defaultdict(list)
    by_team: dict[str, list[float]] = defaultdict(list)
    tracked = met = breached_open = 0
    for f in findings:
        if f.status in _DISMISSED:
            continue
        found = first_seen.get(f.id)
        done = fixed_at.get(f.id) if f.status is FindingStatus.FIXED else None
        if found is not None and done is not None:
            days = (done - found).total_seconds() / 86400
            by_priority[f.priority.ssvc.value if f.priority else "unprioritised"].append(days)
            by_team[(f.priority.owner if f.priority else "") or "unowned"].append(days)
        if f.priority is not None and f.priority.sla_days is not None and found is not None:
            tracked += 1
            due = found + timedelta(days=f.priority.sla_days)
            if done is not None:
                met += done <= due
            elif f.status is not FindingStatus.FIXED:
                if now <= due:
                    met += 1
                else:
                    breached_open += 1

    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for f in findings:
        for s in f.sources or ():
            c = counts[(s.engine, s.rule_id)]
            c[0] += 1
            c[1] += f.status is FindingStatus.FALSE_POSITIVE
    dismissed_ids = {f.id for f in findings if f.status in _DISMISSED}
    backlog = tuple(
        BacklogPoint(
            run_id=run_id,
            at=at,
            open=sum(e.delta is not Delta.FIXED and e.finding_id not in dismissed_ids for e in evs),
        )
        for run_id, (at, evs) in sorted(by_run.items(), key=lambda kv: (kv[1][0], kv[0]))
    )
    decided = [p.decision for p in patches if p.decision is not None]
    return Metrics(
        findings=len(findings),
        fixed=sum(f.status is FindingStatus.FIXED for f in findings),
        mttr_by_priority=_mttr(by_priority),
        mttr_by_team=_mttr(by_team),
        sla_tracked=tracked,
        sla_met=met,
        sla_breached_open=breached_open,
        decisions=len(decided),
        auto_accepted=sum(d.outcome is GateOutcome.AUTO_ACCEPT for d in decided),
        false_positives=tuple(
            RuleFalsePositives(engine=e, rule=r, findings=n, false_positives=fp)
            for (e, r), (n, fp) in sorted(counts.items())
        ),
        backlog=backlog,
    )


def _mttr(groups: dict[str, list[float]]) -> tuple[Mttr, ...]:
    return tuple(
        Mttr(group=g, fixed=len(v), mean_days=round(sum(v) / len(v), 2))
        for g, v in sorted(groups.items())
    )


def backlog_svg(points: Sequence[BacklogPoint], *, width: int = 640, height: int = 320) -> str:
    """A line chart of the open backlog per run, as a standalone SVG document."""
    left, right, top, bottom = 50, 20, 30, 50
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max((p.open for p in points), default=0) or 1
    n = len(points)

    def x(i: int) -> float:
        return left + (plot_w * i / (n - 1) if n > 1 else plot_w / 2)

    def y(v: int) -> float:
        return top + plot_h - plot_h * v / peak

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="11">',
        "<title>Open findings per run</title>",
        f'<rect width="{width}" height="{height}" fill="white"/>',
        f'<text x="{left}" y="18" font-size="14">Open findings per run</text>',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" '
        'stroke="black"/>',
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" stroke="black"/>',
        f'<text x="{left - 6}" y="{top + 4}" text-anchor="end">{peak}</text>',
        f'<text x="{left - 6}" y="{top + plot_h + 4}" text-anchor="end">0</text>',
    ]
    if points:
        coords = " ".join(f"{x(i):.1f},{y(p.open):.1f}" for i, p in enumerate(points))
        parts.append(f'<polyline points="{coords}" fill="none" stroke="#c0392b" stroke-width="2"/>')
        for i, p in enumerate(points):
            parts.append(
                f'<circle cx="{x(i):.1f}" cy="{y(p.open):.1f}" r="3" fill="#c0392b">'
                f"<title>{html.escape(p.run_id)}: {p.open} open</title></circle>"
            )
        for i in sorted({0, n - 1}):
            parts.append(
                f'<text x="{x(i):.1f}" y="{top + plot_h + 16}" text-anchor="middle">'
                f"{html.escape(points[i].at[:10])}</text>"
            )
    else:
        parts.append(f'<text x="{left + 10}" y="{top + 20}">no runs yet</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"
