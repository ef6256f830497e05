"""The queue on a real store: SLA due dates and breaches, risk acceptances that expire."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from mamori.config import Config
from mamori.domain import (
    AssetContext,
    Criticality,
    Exploitation,
    Exposure,
    FindingStatus,
    SsvcDecision,
)
from mamori.prioritize.queue import RiskAcceptanceError, accept_risk, queue
from mamori.prioritize.risk import PriorityOptions, prioritise
from mamori.prioritize.sla import parse_time
from mamori.store.sql import SqlStore
from tests.prioritize.conftest import COOKIE, SQLI

REPO = "/repo"
BANK = AssetContext(
    criticality=Criticality.CRITICAL, exposure=Exposure.INTERNET_FACING, data_classes=("payments",)
)


def _save(store: SqlStore) -> datetime:
    run = store.begin_run(repo=REPO, actor="t", head_commit=None, options={})
    findings = prioritise(
        [replace(f, first_seen_run=run.id) for f in (COOKIE, SQLI)],
        lambda p: BANK,
        PriorityOptions(),
    )
    store.save_findings(run.id, REPO, findings)
    store.finish_run(run.id, status="completed", summary={})
    return parse_time(run.started_at)


def test_queue_orders_by_priority_and_flags_breaches(store: SqlStore) -> None:
    started = _save(store)
    items = queue(store, REPO, statuses=None, now=started)
    assert [i.finding.fingerprint for i in items] == [SQLI.fingerprint, COOKIE.fingerprint]
    top = items[0]
    assert top.finding.priority is not None
    assert top.finding.priority.ssvc is SsvcDecision.OUT_OF_CYCLE
    assert top.sla.due == (started + timedelta(days=7)).date() and not top.sla.breached
    assert "exposure open" in top.why()
    later = queue(store, REPO, statuses=None, now=started + timedelta(days=8))
    assert later[0].sla.breached and not later[1].sla.breached  # scheduled: 30 days
    assert "BREACHED" in later[0].sla.describe()


def test_risk_acceptance_hides_then_reopens_on_expiry(store: SqlStore) -> None:
    started = _save(store)
    sqli_id = queue(store, REPO, statuses=None, now=started)[0].finding.id
    with pytest.raises(RiskAcceptanceError, match="not in the future"):
        accept_risk(
            store, sqli_id, owner="o", reason="r", expires=started - timedelta(days=1), actor="a"
        )
    with pytest.raises(RiskAcceptanceError, match="owner and a reason"):
        accept_risk(store, sqli_id, owner="", reason="r", expires=started, actor="a")
    accept_risk(
        store,
        sqli_id,
        owner="ciso",
        reason="WAF rule in place",
        expires=started + timedelta(days=30),
        actor="alice",
        now=started,
    )
    during = queue(store, REPO, statuses=None, now=started + timedelta(days=10))
    assert sqli_id not in [i.finding.id for i in during]
    shown = queue(
        store, REPO, statuses=None, now=started + timedelta(days=10), include_accepted=True
    )
    accepted = next(i for i in shown if i.finding.id == sqli_id)
    assert accepted.acceptance is not None and not accepted.sla.breached
    after = queue(store, REPO, statuses=None, now=started + timedelta(days=31))
    reopened = next(i for i in after if i.finding.id == sqli_id)
    assert reopened.acceptance is None and reopened.sla.breached
    kinds = [e.kind for e in store.events()]
    assert kinds.count("risk.accepted") == 1 and kinds.count("risk.acceptance_expired") == 1
    assert [a.state for a in store.risk_acceptances(REPO)] == ["expired"]


def test_closed_findings_are_never_in_breach(store: SqlStore) -> None:
    started = _save(store)
    fid = queue(store, REPO, statuses=None, now=started)[0].finding.id
    store.set_finding_status(fid, FindingStatus.FIXED)
    items = queue(store, REPO, statuses=None, now=started + timedelta(days=400))
    assert not next(i for i in items if i.finding.id == fid).sla.breached


def test_priority_survives_the_store(store: SqlStore) -> None:
    _save(store)
    stored = store.findings(REPO)
    assert all(f.priority is not None and f.priority.cvss_v3_vector for f in stored)
    now = datetime.now(UTC)
    assert queue(store, REPO, statuses=None, now=now)


def test_options_from_store_read_triage_cvss_and_confirmed_exploits(
    store: SqlStore, tmp_path: Path
) -> None:
    _save(store)
    run = store.list_runs(REPO)[0]
    sqli = next(f for f in store.findings(REPO) if f.fingerprint == SQLI.fingerprint)
    store.set_cvss_override(
        sqli.id, v3="AV:L/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N", v4=None, actor="t", reason="local only"
    )
    store.record(
        "exploit.confirmed",
        actor="mamori:verify",
        run_id=run.id,
        subject=sqli.id,
        payload={"fingerprint": sqli.fingerprint, "sha256": "0" * 64},
    )
    options = PriorityOptions.from_store(Config(root=tmp_path, project_name="x"), store, REPO)
    assert options.confirmed_exploits == {sqli.fingerprint}
    (again,) = prioritise([sqli], lambda p: BANK, options)
    assert again.priority is not None
    assert again.priority.exploitation is Exploitation.PUBLIC_POC
    assert again.priority.cvss_source == "v3 triage, v4 cwe default"
    assert again.priority.cvss_v3_score < 3
