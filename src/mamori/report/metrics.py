"""Programme metrics: MTTR, SLA compliance, auto-accept rate, false positives, backlog.

Everything is derived from the store: when each finding was first seen and when it was found
fixed come from the runs' finding deltas, priorities and owners from the prioritise stage,
gate outcomes from the patches' decisions, and false positives from triage outcomes.
"""

from __future__ import annotations

import html
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from mamori.domain import Delta, Finding, FindingStatus, GateOutcome
from mamori.prioritize.sla import parse_time
from mamori.report.context import ReportError
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
    # Open findings under an active risk acceptance: their SLA clock is stopped (as in the
    # queue), so they count neither as met nor as breached.
    risk_accepted: int = 0

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
    accepted: Collection[str] = frozenset(),
) -> Metrics:
    """The metrics of ``findings``; ``accepted`` are the ids under an active risk acceptance."""
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
    tracked = met = breached_open = risk_accepted = 0
    for f in findings:
        if f.status in _DISMISSED:
            continue
        found = first_seen.get(f.id)
        done = fixed_at.get(f.id) if f.status is FindingStatus.FIXED else None
        if found is not None and done is not None:
            days = (done - found).total_seconds() / 86400
            by_priority[f.priority.ssvc.value if f.priority else "unprioritised"].append(days)
            by_team[(f.priority.owner if f.priority else "") or "unowned"].append(days)
        if f.id in accepted and f.status is not FindingStatus.FIXED:
            risk_accepted += 1
        elif f.priority is not None and f.priority.sla_days is not None and found is not None:
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
        risk_accepted=risk_accepted,
    )


def _mttr(groups: dict[str, list[float]]) -> tuple[Mttr, ...]:
    return tuple(
        Mttr(group=g, fixed=len(v), mean_days=round(sum(v) / len(v), 2))
        for g, v in sorted(groups.items())
    )


@dataclass(frozen=True, kw_only=True)
class _Layout:
    """Where the backlog chart's axes and points are, shared by the SVG and PNG writers."""

    width: int
    height: int
    left: int = 50
    right: int = 20
    top: int = 30
    bottom: int = 50
    peak: int = 1
    count: int = 0

    @property
    def plot_w(self) -> int:
        return self.width - self.left - self.right

    @property
    def plot_h(self) -> int:
        return self.height - self.top - self.bottom

    def x(self, i: int) -> float:
        n = self.count
        return self.left + (self.plot_w * i / (n - 1) if n > 1 else self.plot_w / 2)

    def y(self, v: int) -> float:
        return self.top + self.plot_h - self.plot_h * v / self.peak


def _layout(points: Sequence[BacklogPoint], width: int, height: int) -> _Layout:
    peak = max((p.open for p in points), default=0) or 1
    return _Layout(width=width, height=height, peak=peak, count=len(points))


def backlog_svg(points: Sequence[BacklogPoint], *, width: int = 640, height: int = 320) -> str:
    """A line chart of the open backlog per run, as a standalone SVG document."""
    g = _layout(points, width, height)
    left, top, plot_w, plot_h, peak, n = g.left, g.top, g.plot_w, g.plot_h, g.peak, g.count
    x, y = g.x, g.y

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
            # The last date ends at the right edge so that it is not cut off.
            anchor = "end" if i == n - 1 and n > 1 else "middle"
            parts.append(
                f'<text x="{x(i):.1f}" y="{top + plot_h + 16}" text-anchor="{anchor}">'
                f"{html.escape(points[i].at[:10])}</text>"
            )
    else:
        parts.append(f'<text x="{left + 10}" y="{top + 20}">no runs yet</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


_RED = (192, 57, 43)


def backlog_png(points: Sequence[BacklogPoint], *, width: int = 640, height: int = 320) -> bytes:
    """The same chart as :func:`backlog_svg`, as PNG bytes (drawn with Pillow).

    Raises :class:`ReportError` when Pillow (the ``charts`` extra) is not installed.
    """
    try:
        from PIL import Image, ImageDraw, ImageFont
    except ImportError as e:
        raise ReportError(
            "a PNG chart needs Pillow", hint="pip install 'mamori[charts]', or write an .svg"
        ) from e
    import io

    g = _layout(points, width, height)
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=11)
    bottom = g.top + g.plot_h
    draw.text((g.left, 6), "Open findings per run", fill="black", font=ImageFont.load_default(14))
    draw.line([(g.left, bottom), (g.left + g.plot_w, bottom)], fill="black")
    draw.line([(g.left, g.top), (g.left, bottom)], fill="black")
    draw.text((g.left - 6, g.top), str(g.peak), fill="black", font=font, anchor="rm")
    draw.text((g.left - 6, bottom), "0", fill="black", font=font, anchor="rm")
    if points:
        coords = [(g.x(i), g.y(p.open)) for i, p in enumerate(points)]
        if len(coords) > 1:
            draw.line(coords, fill=_RED, width=2)
        for cx, cy in coords:
            draw.ellipse([(cx - 3, cy - 3), (cx + 3, cy + 3)], fill=_RED)
        for i in sorted({0, len(points) - 1}):
            anchor = "rt" if i == len(points) - 1 and len(points) > 1 else "mt"
            draw.text(
                (g.x(i), bottom + 10), points[i].at[:10], fill="black", font=font, anchor=anchor
            )
    else:
        draw.text((g.left + 10, g.top + 10), "no runs yet", fill="black", font=font)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def write_chart(points: Sequence[BacklogPoint], path: Path) -> Path:
    """Write the backlog chart to ``path``: SVG or PNG, chosen by the file's suffix."""
    suffix = path.suffix.lower()
    if suffix not in (".svg", ".png"):
        raise ReportError(
            f"cannot write a chart as {path.name!r}", hint="name the file *.svg or *.png"
        )
    data = backlog_png(points) if suffix == ".png" else backlog_svg(points).encode("utf-8")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    except OSError as e:
        raise ReportError(f"cannot write the chart {path}: {e}") from e
    return path
