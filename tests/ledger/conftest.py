"""Fixtures for the ledger tests (shared with the other store-backed tests)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mamori.domain import (
    CheckName,
    CheckResult,
    CheckStatus,
    Decision,
    Delivery,
    GateOutcome,
    PatchId,
    PatchState,
    Review,
    ReviewVerdict,
    RunId,
    TestSummary,
    Verification,
    VerificationStatus,
)
from mamori.ledger.service import Ledger
from mamori.ledger.settings import LedgerSettings
from mamori.store.ids import finding_id
from mamori.store.sql import SqlStore
from tests.store.test_sql import make_finding, make_patch
from tests.store_fixtures import store, store_url

__all__ = ["delivered_patch", "ledger", "settings", "store", "store_url"]

REPO = "/repo"


@pytest.fixture
def settings(tmp_path: Path) -> LedgerSettings:
    return LedgerSettings(
        key_path=tmp_path / "keys" / "ledger.key",
        witness_dir=tmp_path / "witness",
        origin="mamori.test/log",
    )


@pytest.fixture
def ledger(store: SqlStore, settings: LedgerSettings) -> Ledger:
    return Ledger(store, settings=settings)


def add_run_events(store: SqlStore, n: int = 5) -> RunId:
    run = store.begin_run(repo=REPO, actor="alice", head_commit="c" * 40, options={})
    store.record("run.started", actor="alice", run_id=run.id, subject=run.id)
    for i in range(n - 1):
        store.record(
            "scan.completed",
            actor="bandit",
            run_id=run.id,
            subject=f"F-{i}",
            payload={"i": i, "ratio": 1e-07, "names": ["é", "日本"]},
        )
    return run.id


def deliver_one(store: SqlStore, run_id: RunId, diff_line: str = "b") -> tuple[PatchId, int]:
    """A patch taken through verify, gate, review and delivery, as the pipeline stores it."""
    n = len(store.patches()) + 1
    finding = make_finding(n)
    store.save_findings(run_id, REPO, [finding])
    fid = finding_id(REPO, finding.fingerprint)
    patch = make_patch(fid, pid=f"P-{n:04d}")
    patch = type(patch)(
        **{
            **{f: getattr(patch, f) for f in patch.__dataclass_fields__},
            "diff": f"--- a/app/m1.py\n+++ b/app/m1.py\n@@ -1 +1 @@\n-a\n+{diff_line}\n",
        }
    )
    store.save_patch(run_id, patch, PatchState.PROPOSED)
    tests = TestSummary(command=("pytest",), exit_code=0, passed=7, failed=0, errors=0, skipped=1)
    store.save_verification(
        Verification(
            patch_id=patch.id,
            status=VerificationStatus.VERIFIED,
            checks=tuple(
                CheckResult(name=c, status=CheckStatus.PASSED, detail="ok") for c in CheckName
            ),
            tests_before=tests,
            tests_after=tests,
            environment="worktree",
        )
    )
    store.save_decision(
        Decision(patch_id=patch.id, outcome=GateOutcome.REVIEW, rule="high-risk", reasons=("x",))
    )
    store.add_review(
        Review(patch_id=patch.id, reviewer="bob", verdict=ReviewVerdict.APPROVED, reason="lgtm")
    )
    commit = f"{n:040x}"
    store.save_delivery(Delivery(patch_id=patch.id, branch="mamori/x", commit=commit))
    event = store.record(
        "patch.delivered",
        actor="alice",
        run_id=run_id,
        subject=patch.id,
        payload={"commit": commit},
    )
    return patch.id, event.seq


@pytest.fixture
def delivered_patch(store: SqlStore, ledger: Ledger) -> tuple[RunId, PatchId]:
    from mamori.ledger.attest import attest

    run_id = add_run_events(store)
    patch_id, seq = deliver_one(store, run_id)
    attest(ledger, patch_id=patch_id, delivered_seq=seq)
    return run_id, patch_id
