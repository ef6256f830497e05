"""Metrics from finding histories, gate decisions and triage outcomes; the SVG chart."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from mamori.domain import (
    AssetContext,
    Decision,
    Delta,
    EngineId,
    Finding,
    FindingId,
    FindingStatus,
    Fingerprint,
    GateOutcome,
    PatchId,
    PatchState,
    RuleId,
    RunId,
    Source,
)
from mamori.prioritize.risk import PriorityOptions, prioritise
from mamori.report.context import ReportError
from mamori.report.metrics import BacklogPoint, backlog_svg, compute, write_chart
from mamori.store.interface import FindingEvent, PatchRecord
from mamori.store.sql import SqlStore
from tests.gate.test_policy import _patch
from tests.prioritize.conftest import COOKIE, SQLI
from tests.store_fixtures import store, store_url

__all__ = ["store", "store_url"]

SRC = Source(
    engine=EngineId("bandit"),
    rule_id=RuleId("bandit:B608"),
    message="m",
    severity=SQLI.severity,
    confidence=SQLI.confidence,
)


def _ev(fid: str, run: int, delta: Delta) -> FindingEvent:
    return FindingEvent(
        finding_id=FindingId(fid),
        run_id=RunId(f"R-{run}"),
        at=f"2026-01-{run:02d}T00:00:00Z",
        delta=delta,
    )


def _findings() -> list[Finding]:
    team = {"app/views.py": AssetContext(owner="web")}
    fixed = replace(SQLI, id=FindingId("A"), status=FindingStatus.FIXED, sources=(SRC,))
    late = replace(COOKIE, id=FindingId("B"), fingerprint=Fingerprint("b"), sources=(SRC,))
    fp = replace(
        SQLI,
        id=FindingId("C"),
        fingerprint=Fingerprint("c"),
        status=FindingStatus.FALSE_POSITIVE,
        sources=(SRC,),
    )
    return prioritise([fixed, late, fp], lambda p: team[p], PriorityOptions())


def test_mttr_sla_fp_and_backlog() -> None:
    events = [
        _ev("A", 1, Delta.NEW),
        _ev("B", 1, Delta.NEW),
        _ev("C", 1, Delta.NEW),
        _ev("A", 11, Delta.STILL_OPEN),
        _ev("B", 11, Delta.STILL_OPEN),
        _ev("C", 11, Delta.STILL_OPEN),
        _ev("A", 21, Delta.FIXED),
        _ev("B", 21, Delta.STILL_OPEN),
        _ev("C", 21, Delta.STILL_OPEN),
    ]
    findings = _findings()
    patches = [
        PatchRecord(
            patch=_patch(),
            run_id=RunId("R-1"),
            state=PatchState.DELIVERED,
            decision=Decision(
                patch_id=PatchId("P-1"), outcome=GateOutcome.AUTO_ACCEPT, rule="r", reasons=()
            ),
        ),
        PatchRecord(
            patch=replace(_patch(), id=PatchId("P-2")),
            run_id=RunId("R-1"),
            state=PatchState.IN_REVIEW,
            decision=Decision(
                patch_id=PatchId("P-2"), outcome=GateOutcome.REVIEW, rule="r", reasons=()
            ),
        ),
    ]
    m = compute(findings, events, patches, now=datetime(2026, 12, 1, tzinfo=UTC))
    a = next(f for f in findings if f.id == "A")
    assert a.priority is not None
    assert [(r.group, r.fixed, r.mean_days) for r in m.mttr_by_priority] == [
        (a.priority.ssvc.value, 1, 20.0)
    ]
    assert [(r.group, r.fixed) for r in m.mttr_by_team] == [("web", 1)]
    # A: fixed in 20 days (SLA 30 or 180: met); B: open since January, SLA (180 d) past in December.
    b = next(f for f in findings if f.id == "B")
    assert b.priority is not None and b.priority.sla_days is not None
    assert (m.sla_tracked, m.sla_breached_open) == (2, 1)
    assert m.sla_compliance == 0.5
    assert m.auto_accept_rate == 0.5
    # B's risk was accepted: its clock is stopped, so it is neither met nor breached.
    with_acceptance = compute(
        findings, events, patches, now=datetime(2026, 12, 1, tzinfo=UTC), accepted={"B"}
    )
    assert (with_acceptance.sla_tracked, with_acceptance.sla_breached_open) == (1, 0)
    assert with_acceptance.risk_accepted == 1 and with_acceptance.sla_compliance == 1.0
    (fp,) = m.false_positives
    assert (fp.engine, fp.rule, fp.findings, fp.false_positives) == ("bandit", "bandit:B608", 3, 1)
    assert [(p.run_id, p.open) for p in m.backlog] == [("R-1", 2), ("R-11", 2), ("R-21", 1)]
    svg = backlog_svg(m.backlog)
    root = ET.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert len(root.findall(".//{http://www.w3.org/2000/svg}circle")) == 3


def test_empty_metrics_and_chart() -> None:
    m = compute([], [], [])
    assert m.sla_compliance is None and m.auto_accept_rate is None and m.backlog == ()
    ET.fromstring(backlog_svg(m.backlog))


def test_chart_as_png_and_svg_by_suffix(tmp_path: Path) -> None:
    from PIL import Image

    points = [
        BacklogPoint(run_id="R-1", at="2026-01-01T00:00:00Z", open=4),
        BacklogPoint(run_id="R-2", at="2026-01-08T00:00:00Z", open=1),
    ]
    png = write_chart(points, tmp_path / "backlog.png")
    with Image.open(png) as image:
        assert (image.format, image.size) == ("PNG", (640, 320))
        rgb = image.convert("RGB")
        # The line is drawn from the first run (4 open, the top of the plot) down to the second.
        red = [
            (x, y)
            for x in range(rgb.width)
            for y in range(rgb.height)
            if rgb.getpixel((x, y)) == (192, 57, 43)
        ]
    assert red, "no data drawn"
    xs = [x for x, _ in red]
    assert min(xs) < 60 and max(xs) > 610  # from the left axis to the right end
    left_y = [y for x, y in red if x < 60]
    right_y = [y for x, y in red if x > 610]
    assert max(left_y) < min(right_y)  # 4 open sits higher than 1 open
    svg = write_chart(points, tmp_path / "sub" / "backlog.SVG")
    assert ET.parse(svg).getroot().tag == "{http://www.w3.org/2000/svg}svg"
    with pytest.raises(ReportError, match=r"backlog\.pdf"):
        write_chart(points, tmp_path / "backlog.pdf")


def test_finding_events_from_the_store(store: SqlStore) -> None:
    run = store.begin_run(repo="/repo", actor="t", head_commit=None, options={})
    store.save_findings(run.id, "/repo", [SQLI])
    store.finish_run(run.id, status="completed", summary={})
    run2 = store.begin_run(repo="/repo", actor="t", head_commit=None, options={})
    (saved,) = store.findings("/repo")
    store.save_findings(run2.id, "/repo", [replace(saved, delta=Delta.FIXED)])
    events = store.finding_events("/repo")
    assert [(e.run_id, e.delta) for e in events] == [(run.id, Delta.NEW), (run2.id, Delta.FIXED)]
    assert store.finding_events("/other") == []
