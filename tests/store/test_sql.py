"""SqlStore against the Store contract, on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
import re

import pytest

from mamori.domain import (
    CheckName,
    CheckResult,
    CheckStatus,
    Confidence,
    Decision,
    Delivery,
    Delta,
    EngineId,
    Finding,
    FindingId,
    FindingStatus,
    Fingerprint,
    FixerId,
    FlowStep,
    GateOutcome,
    Location,
    NotAnalysed,
    Patch,
    PatchId,
    PatchState,
    Review,
    ReviewVerdict,
    RiskClass,
    RuleId,
    RunId,
    Severity,
    Source,
    Strategy,
    Suppression,
    Verification,
    VerificationStatus,
)
from mamori.domain import TestSummary as Summary
from mamori.errors import NotFoundError, StoreError
from mamori.store.ids import finding_id
from mamori.store.interface import Store
from mamori.store.sql import SqlStore

REPO = "/home/alice/shop"


def make_finding(n: int, **changes: object) -> Finding:
    loc = Location(path=f"app/m{n}.py", start_line=10 + n, end_line=11 + n)
    f = Finding(
        id=FindingId("F-placeholder"),
        fingerprint=Fingerprint(f"{n:032x}"),
        rule_id=RuleId("bandit:B608"),
        cwe=89,
        message=f"SQL injection {n} ✓",
        location=loc,
        snippet="cur.execute(q)",
        severity=Severity.HIGH,
        confidence=Confidence.MEDIUM,
        sources=(
            Source(
                engine=EngineId("bandit"),
                rule_id=RuleId("bandit:B608"),
                message="m",
                severity=Severity.HIGH,
                confidence=Confidence.MEDIUM,
            ),
        ),
        scope="lookup",
        flow=(FlowStep(location=loc, message="sink"),),
        risk_score=float(n),
        risk_reasons=("internet-facing",),
        suppression=Suppression(rule="CWE-89", reason="const", location=loc) if n == 3 else None,
    )
    return dataclasses.replace(f, **changes)  # type: ignore[arg-type]


def stored(f: Finding, run: RunId, first: RunId | None = None) -> Finding:
    return dataclasses.replace(
        f,
        id=finding_id(REPO, f.fingerprint),
        first_seen_run=first or run,
        last_seen_run=run,
    )


def make_patch(fid: FindingId, pid: str = "P-1a2b3c") -> Patch:
    return Patch(
        id=PatchId(pid),
        finding_id=fid,
        fixer_id=FixerId("mamori:fix/sql-parameterize"),
        strategy=Strategy.DETERMINISTIC,
        risk=RiskClass.LOW,
        risk_reason="same behaviour",
        description="use parameters",
        diff="--- a/app/m1.py\n+++ b/app/m1.py\n@@ -1 +1 @@\n-a\n+b\n",
        files=("app/m1.py",),
        requested_by="alice",
    )


def test_satisfies_the_protocol(store: SqlStore) -> None:
    s: Store = store  # mypy checks the structure; this checks it at runtime too
    assert callable(s.transaction)


def test_runs(store: SqlStore) -> None:
    assert store.latest_run(REPO) is None
    r1 = store.begin_run(repo=REPO, actor="alice", head_commit="a" * 40, options={"x": [1]})
    assert re.fullmatch(r"R-\d{8}-\d{6}-[0-9a-f]{6}", r1.id)
    assert r1.status == "running" and r1.finished_at is None
    assert store.latest_run(REPO) is None  # not completed yet
    assert store.latest_run(REPO, completed_only=False) == r1
    store.set_run_branch(r1.id, f"mamori/{r1.id}")
    store.finish_run(r1.id, status="completed", summary={"findings": 2, "sev": Severity.LOW})
    got = store.get_run(r1.id)
    assert got.branch == f"mamori/{r1.id}"
    assert got.status == "completed"
    assert got.summary == {"findings": 2, "sev": "low"}
    assert got.finished_at is not None and got.finished_at >= got.started_at
    r2 = store.begin_run(repo=REPO, actor="bob", head_commit=None, options={})
    store.begin_run(repo="/other", actor="bob", head_commit=None, options={})
    latest = store.latest_run(REPO)
    assert latest is not None and latest.id == r1.id
    latest_any = store.latest_run(REPO, completed_only=False)
    assert latest_any is not None and latest_any.id == r2.id
    assert [r.id for r in store.list_runs(REPO)] == [r2.id, r1.id]
    assert len(store.list_runs()) == 3
    with pytest.raises(NotFoundError, match="R-nope"):
        store.get_run(RunId("R-nope"))
    with pytest.raises(NotFoundError):
        store.finish_run(RunId("R-nope"), status="failed", summary={})
    with pytest.raises(ValueError, match="unknown run status"):
        store.finish_run(r1.id, status="done", summary={})


def test_findings_insert_update_and_deltas(store: SqlStore) -> None:
    r1 = store.begin_run(repo=REPO, actor="a", head_commit=None, options={}).id
    findings = [make_finding(n) for n in range(1, 4)]
    store.save_findings(r1, REPO, findings)
    got = store.findings(REPO)
    # Highest risk first; ids derived from (repo, fingerprint); first/last seen set.
    assert got == [stored(f, r1) for f in reversed(findings)]
    assert store.run_deltas(r1) == {finding_id(REPO, f.fingerprint): Delta.NEW for f in findings}

    r2 = store.begin_run(repo=REPO, actor="a", head_commit=None, options={}).id
    changed = make_finding(
        1, delta=Delta.STILL_OPEN, message="moved", location=Location(path="x.py", start_line=99)
    )
    fixed = make_finding(2, delta=Delta.FIXED, status=FindingStatus.FIXED)
    store.save_findings(r2, REPO, [changed, fixed])
    f1 = store.get_finding(finding_id(REPO, changed.fingerprint))
    assert f1 == stored(changed, r2, first=r1)
    f2 = store.get_finding(finding_id(REPO, fixed.fingerprint))
    assert f2.status is FindingStatus.FIXED
    assert f2.last_seen_run == r1  # not seen in r2
    assert store.run_deltas(r2) == {
        finding_id(REPO, changed.fingerprint): Delta.STILL_OPEN,
        finding_id(REPO, fixed.fingerprint): Delta.FIXED,
    }
    # The first run's deltas are unchanged.
    assert set(store.run_deltas(r1).values()) == {Delta.NEW}
    assert len(store.findings()) == 3
    assert [f.status for f in store.findings(REPO, statuses=[FindingStatus.FIXED])] == [
        FindingStatus.FIXED
    ]
    assert store.findings("/other") == []


def test_same_fingerprint_in_two_repos_is_two_findings(store: SqlStore) -> None:
    run = store.begin_run(repo=REPO, actor="a", head_commit=None, options={}).id
    f = make_finding(1)
    store.save_findings(run, REPO, [f])
    store.save_findings(run, "/other", [f])
    assert len(store.findings()) == 2
    assert finding_id(REPO, f.fingerprint) != finding_id("/other", f.fingerprint)


def test_finding_status_and_prefixes(store: SqlStore) -> None:
    run = store.begin_run(repo=REPO, actor="a", head_commit=None, options={}).id
    findings = [make_finding(n) for n in range(40)]
    store.save_findings(run, REPO, findings)
    ids = sorted(f.id for f in store.findings())
    fid = ids[0]
    store.set_finding_status(fid, FindingStatus.FALSE_POSITIVE)
    assert store.get_finding(fid).status is FindingStatus.FALSE_POSITIVE
    # The shortest unique prefix resolves; a shared one is ambiguous and lists candidates.
    for length in range(3, len(fid) + 1):
        prefix = fid[:length]
        matches = [i for i in ids if i.startswith(prefix)]
        if len(matches) == 1:
            assert store.get_finding(FindingId(prefix)).id == fid
            break
    with pytest.raises(NotFoundError) as exc:
        store.get_finding(FindingId("F-"))
    assert "ambiguous" in exc.value.message and ids[0] in exc.value.message
    with pytest.raises(NotFoundError, match="F-zzz"):
        store.get_finding(FindingId("F-zzz"))
    with pytest.raises(NotFoundError):
        store.get_finding(FindingId(fid.upper()))  # prefixes are case-sensitive
    with pytest.raises(NotFoundError):
        store.get_finding(FindingId("F-%"))  # no LIKE wildcards
    with pytest.raises(NotFoundError):
        store.get_finding(FindingId(""))
    with pytest.raises(NotFoundError):
        store.set_finding_status(FindingId("F-zzz"), FindingStatus.OPEN)


def test_not_analysed(store: SqlStore) -> None:
    run = store.begin_run(repo=REPO, actor="a", head_commit=None, options={}).id
    items = [
        NotAnalysed(path="bin/x", engine=None, reason="binary"),
        NotAnalysed(path="", engine=EngineId("semgrep"), reason="not installed"),
    ]
    store.save_not_analysed(run, items)
    assert store.not_analysed(run) == items
    with pytest.raises(NotFoundError):
        store.save_not_analysed(RunId("R-x"), items)


def test_patch_lifecycle(store: SqlStore) -> None:
    run = store.begin_run(repo=REPO, actor="a", head_commit=None, options={}).id
    store.save_findings(run, REPO, [make_finding(1), make_finding(2)])
    fid = finding_id(REPO, make_finding(1).fingerprint)
    patch = make_patch(fid)
    store.save_patch(run, patch, PatchState.PROPOSED)
    rec = store.get_patch(patch.id)
    assert rec.patch == patch and rec.run_id == run and rec.state is PatchState.PROPOSED
    assert rec.verification is None and rec.decision is None and rec.reviews == ()

    summary = Summary(
        command=("pytest",),
        exit_code=0,
        passed=3,
        failed=0,
        errors=0,
        skipped=1,
        outcomes={"t::a": "passed"},
        duration_s=0.5,
    )
    verification = Verification(
        patch_id=patch.id,
        status=VerificationStatus.VERIFIED,
        checks=tuple(CheckResult(name=n, status=CheckStatus.PASSED, detail="") for n in CheckName),
        tests_before=summary,
        tests_after=summary,
        environment="worktree",
    )
    store.save_verification(verification)
    decision = Decision(patch_id=patch.id, outcome=GateOutcome.REVIEW, rule="r", reasons=("why",))
    store.save_decision(decision)
    reviews = [
        Review(patch_id=patch.id, reviewer="bob", verdict=ReviewVerdict.REJECTED, reason="no"),
        Review(patch_id=patch.id, reviewer="carol", verdict=ReviewVerdict.APPROVED, reason="ok"),
    ]
    for r in reviews:
        store.add_review(r)
    delivery = Delivery(patch_id=patch.id, branch=f"mamori/{run}", commit="d" * 40)
    store.save_delivery(delivery)
    store.set_patch_state(patch.id, PatchState.DELIVERED)
    rec = store.get_patch(PatchId("P-1a"))  # by prefix
    assert rec.verification == verification
    assert rec.decision == decision
    assert rec.reviews == tuple(reviews)
    assert rec.delivery == delivery
    assert rec.state is PatchState.DELIVERED
    assert rec.rollback_commit is None
    store.save_rollback(patch.id, "e" * 40)
    assert store.get_patch(patch.id).rollback_commit == "e" * 40

    # Re-verification replaces; a re-decision too.
    store.save_verification(
        dataclasses.replace(verification, status=VerificationStatus.TESTS_FAILED)
    )
    rec = store.get_patch(patch.id)
    assert rec.verification is not None
    assert rec.verification.status is VerificationStatus.TESTS_FAILED


def test_patch_queries_and_errors(store: SqlStore) -> None:
    run = store.begin_run(repo=REPO, actor="a", head_commit=None, options={}).id
    other_run = store.begin_run(repo=REPO, actor="a", head_commit=None, options={}).id
    store.save_findings(run, REPO, [make_finding(1), make_finding(2)])
    f1 = finding_id(REPO, make_finding(1).fingerprint)
    f2 = finding_id(REPO, make_finding(2).fingerprint)
    p1, p2, p3 = make_patch(f1, "P-aa1"), make_patch(f2, "P-aa2"), make_patch(f1, "P-bb3")
    store.save_patch(run, p1, PatchState.PROPOSED)
    store.save_patch(run, p2, PatchState.REJECTED)
    store.save_patch(other_run, p3, PatchState.PROPOSED)
    assert [r.patch.id for r in store.patches(run_id=run)] == ["P-aa1", "P-aa2"]
    assert {r.patch.id for r in store.patches(finding_id=f1)} == {"P-aa1", "P-bb3"}
    assert [r.patch.id for r in store.patches(states=[PatchState.REJECTED])] == ["P-aa2"]
    assert len(store.patches()) == 3
    with pytest.raises(NotFoundError, match=r"P-aa1, P-aa2"):
        store.get_patch(PatchId("P-aa"))
    with pytest.raises(NotFoundError):
        store.get_patch(PatchId("P-zz"))
    # Saving the same patch again only changes its state (and run, when a later run proposes
    # the identical patch again) ...
    store.save_patch(run, p1, PatchState.IN_REVIEW)
    assert store.get_patch(p1.id).state is PatchState.IN_REVIEW
    store.save_patch(other_run, p1, PatchState.PROPOSED)
    again = store.get_patch(p1.id)
    assert (again.run_id, again.state) == (other_run, PatchState.PROPOSED)
    assert [r.patch.id for r in store.patches(run_id=run)] == ["P-aa2"]
    store.save_patch(run, p1, PatchState.IN_REVIEW)
    # ... but different content under an existing id is refused.
    with pytest.raises(StoreError, match="already exists"):
        store.save_patch(run, dataclasses.replace(p1, diff="other"), PatchState.PROPOSED)
    assert store.get_patch(p1.id).patch == p1
    with pytest.raises(NotFoundError, match="F-nope"):
        store.save_patch(run, make_patch(FindingId("F-nope"), "P-x"), PatchState.PROPOSED)
    with pytest.raises(NotFoundError, match="P-nope"):
        store.add_review(
            Review(
                patch_id=PatchId("P-nope"), reviewer="b", verdict=ReviewVerdict.APPROVED, reason=""
            )
        )
    with pytest.raises(NotFoundError, match="no delivery"):
        store.save_rollback(p2.id, "f" * 40)
    with pytest.raises(NotFoundError):
        store.set_patch_state(PatchId("P-nope"), PatchState.ACCEPTED)


def test_transaction_commits_everything_or_nothing(store: SqlStore) -> None:
    run = store.begin_run(repo=REPO, actor="a", head_commit=None, options={}).id
    with pytest.raises(RuntimeError), store.transaction():
        store.save_findings(run, REPO, [make_finding(1)])
        store.record("scan.completed", actor="a", run_id=run)
        store.finish_run(run, status="completed", summary={})
        raise RuntimeError("crash in the middle")
    assert store.findings() == []
    assert list(store.events()) == []
    assert store.ledger_head() is None
    assert store.get_run(run).status == "running"

    with store.transaction():
        store.save_findings(run, REPO, [make_finding(1)])
        store.record("scan.completed", actor="a", run_id=run)
    assert len(store.findings()) == 1
    assert [e.kind for e in store.events()] == ["scan.completed"]


def test_nested_transactions(store: SqlStore) -> None:
    run = store.begin_run(repo=REPO, actor="a", head_commit=None, options={}).id
    with store.transaction():
        store.record("outer.before", actor="a")
        with pytest.raises(RuntimeError), store.transaction():
            store.record("inner.undone", actor="a")
            store.save_findings(run, REPO, [make_finding(1)])
            raise RuntimeError("inner fails")
        with store.transaction():
            store.record("inner.kept", actor="a")
        # Inside the outer transaction, its own writes are visible.
        assert [e.kind for e in store.events()] == ["outer.before", "inner.kept"]
    assert [e.kind for e in store.events()] == ["outer.before", "inner.kept"]
    assert store.findings() == []
    assert store.ledger_head() == (2, list(store.events())[-1].hash)

    # An exception that leaves the outermost block undoes the inner blocks too.
    with pytest.raises(RuntimeError), store.transaction():
        with store.transaction():
            store.record("gone", actor="a")
        raise RuntimeError
    assert len(list(store.events())) == 2


def test_failed_method_inside_a_transaction_is_atomic(store: SqlStore) -> None:
    run = store.begin_run(repo=REPO, actor="a", head_commit=None, options={}).id
    store.save_findings(run, REPO, [make_finding(1)])
    fid = finding_id(REPO, make_finding(1).fingerprint)
    store.save_patch(run, make_patch(fid), PatchState.PROPOSED)
    with store.transaction():
        with pytest.raises(StoreError):
            # Fails on the patch id after nothing else: the transaction stays usable.
            store.save_patch(
                run, dataclasses.replace(make_patch(fid), diff="x"), PatchState.PROPOSED
            )
        store.record("after.error", actor="a")
    assert [e.kind for e in store.events()] == ["after.error"]


def test_record_and_events(store: SqlStore) -> None:
    e1 = store.record(
        "run.started",
        actor="alice",
        run_id="R-1",
        subject="R-1",
        payload={"sev": Severity.HIGH, "items": (1, 2), "text": "日本"},
    )
    e2 = store.record("other", actor="bob")
    e3 = store.record("run.finished", actor="alice", run_id="R-1", payload={"ok": True})
    assert (e1.seq, e2.seq, e3.seq) == (1, 2, 3)
    assert e1.payload == {"sev": "high", "items": [1, 2], "text": "日本"}
    assert e2.prev_hash == e1.hash and e3.prev_hash == e2.hash
    assert list(store.events()) == [e1, e2, e3]
    assert list(store.events(run_id="R-1")) == [e1, e3]
    assert store.ledger_head() == (3, e3.hash)
    from mamori.ledger.chain import LedgerPayloadError

    with pytest.raises(LedgerPayloadError):
        store.record("bad", actor="a", payload={"x": float("nan")})
    with pytest.raises(LedgerPayloadError):
        store.record("bad", actor="a", payload={"x": object()})
    assert store.ledger_head() == (3, e3.hash)


def test_events_are_read_in_batches(store: SqlStore, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("mamori.store.sql._EVENT_BATCH", 7)
    with store.transaction():
        for i in range(30):
            store.record("tick", actor="a", run_id="R-1" if i % 3 else None, payload={"i": i})
    assert [e.seq for e in store.events()] == list(range(1, 31))
    assert [e.payload["i"] for e in store.events(run_id="R-1")] == [i for i in range(30) if i % 3]


def test_reopen_keeps_state(store_url: str) -> None:
    with SqlStore.open(store_url) as s:
        run = s.begin_run(repo=REPO, actor="a", head_commit=None, options={})
        e = s.record("x", actor="a")
    with SqlStore.open(store_url) as s:
        assert s.get_run(run.id) == run
        assert s.ledger_head() == (1, e.hash)
