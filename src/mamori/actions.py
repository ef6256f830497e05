"""What people do after a run: review patches, roll one back, check the ledger.

These are the core operations behind ``mamori review``, ``mamori rollback`` and ``mamori ledger
verify``; the CLI only parses arguments and prints what they return.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mamori.config import Config
from mamori.domain import (
    Finding,
    FindingStatus,
    GateOutcome,
    PatchId,
    PatchState,
    TestSummary,
)
from mamori.errors import NotPermittedError
from mamori.gate.review import check_approval, check_rejection
from mamori.ledger.verify import LedgerReport, verify_ledger
from mamori.pipeline import (
    PatchOutcome,
    Pipeline,
    PipelineOptions,
    Progress,
    RunSummary,
    deliver,
    tests_payload,
)
from mamori.store.interface import PatchRecord, Store
from mamori.verify.tests import TestRunOptions


@dataclass(frozen=True, kw_only=True)
class Workspace:
    """A repository, its configuration and its state store."""

    root: Path
    config: Config
    store: Store

    @classmethod
    def open(cls, path: Path, *, db_url: str | None = None) -> Workspace:
        from mamori.gitutil import repo_root
        from mamori.store.sql import SqlStore, default_url

        root = repo_root(path)
        config = Config.load(root)
        store = SqlStore.open(db_url or default_url(root))
        return cls(root=root, config=config, store=store)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def review_queue(self) -> list[tuple[PatchRecord, Finding]]:
        """This repository's patches waiting for review, each with its finding."""
        runs = {r.id for r in self.store.list_runs(str(self.root))}
        return [
            (r, self.store.get_finding(r.patch.finding_id))
            for r in self.store.patches(states=[PatchState.IN_REVIEW])
            if r.run_id in runs
        ]

    def run_pipeline(self, options: PipelineOptions, progress: Progress) -> RunSummary:
        pipeline = Pipeline.from_config(
            root=self.root, config=self.config, store=self.store, options=options, progress=progress
        )
        return pipeline.run()

    def test_options(self) -> TestRunOptions:
        return TestRunOptions.from_config(self.config)


@dataclass(frozen=True, kw_only=True)
class ApprovalResult:
    record: PatchRecord
    commit: str | None
    delivery_error: str | None
    branch: str
    branch_tests: TestSummary | None


def approve(ws: Workspace, patch_id: str, *, reviewer: str) -> ApprovalResult:
    """Approve a patch in review (four eyes) and commit it on its run's branch."""
    from mamori.deliver.git import branch_tip_tests

    store = ws.store
    record = store.get_patch(PatchId(patch_id))
    review = check_approval(record, reviewer)
    run = store.get_run(record.run_id)
    if run.head_commit is None:
        raise NotPermittedError(f"run {run.id} has no base commit; its patches cannot be delivered")
    finding = store.get_finding(record.patch.finding_id)
    with store.transaction():
        store.add_review(review)
        store.set_patch_state(record.patch.id, PatchState.ACCEPTED)
        store.record(
            "review.approved",
            actor=reviewer,
            run_id=run.id,
            subject=record.patch.id,
            payload={"requested_by": record.patch.requested_by, "finding": finding.id},
        )
    assert record.verification is not None  # check_approval guarantees it
    outcome = PatchOutcome(
        patch=record.patch,
        verification=record.verification,
        outcome=GateOutcome.REVIEW,
        rule=record.decision.rule if record.decision else "review",
        reasons=record.decision.reasons if record.decision else (),
    )
    branch = run.branch or f"mamori/{run.id}"
    results = deliver(
        store=store,
        root=ws.root,
        run_id=run.id,
        branch=branch,
        base_commit=run.head_commit,
        items=[(finding, outcome)],
        actor=reviewer,
        via_of=lambda o: f"review: approved by {reviewer}",
    )
    delivered = results[record.patch.id]
    tests = None
    if delivered.commit is not None:
        tests = branch_tip_tests(ws.root, branch, ws.test_options())
        store.record(
            "tests.branch",
            actor="mamori:deliver",
            run_id=run.id,
            subject=branch,
            payload=tests_payload(tests),
        )
    return ApprovalResult(
        record=store.get_patch(record.patch.id),
        commit=delivered.commit,
        delivery_error=delivered.delivery_error,
        branch=branch,
        branch_tests=tests,
    )


def reject(ws: Workspace, patch_id: str, *, reviewer: str, reason: str) -> PatchRecord:
    store = ws.store
    record = store.get_patch(PatchId(patch_id))
    review = check_rejection(record, reviewer, reason)
    with store.transaction():
        store.add_review(review)
        store.set_patch_state(record.patch.id, PatchState.REJECTED)
        store.set_finding_status(record.patch.finding_id, FindingStatus.OPEN)
        store.record(
            "review.rejected",
            actor=reviewer,
            run_id=record.run_id,
            subject=record.patch.id,
            payload={"reason": review.reason, "finding": record.patch.finding_id},
        )
    return store.get_patch(record.patch.id)


@dataclass(frozen=True, kw_only=True)
class RollbackOutcome:
    record: PatchRecord
    revert_commit: str
    branch: str
    tests: TestSummary | None


def rollback(ws: Workspace, patch_id: str, *, actor: str) -> RollbackOutcome:
    """Revert one delivered patch on its branch, then re-run the tests there."""
    from mamori.deliver.rollback import rollback_commit

    store = ws.store
    record = store.get_patch(PatchId(patch_id))
    if record.state is not PatchState.DELIVERED or record.delivery is None:
        raise NotPermittedError(
            f"patch {record.patch.id} is {record.state}; only a delivered patch can be rolled back"
        )
    result = rollback_commit(
        ws.root,
        branch=record.delivery.branch,
        commit=record.delivery.commit,
        tests=ws.test_options(),
    )
    with store.transaction():
        store.save_rollback(record.patch.id, result.revert_commit)
        store.set_patch_state(record.patch.id, PatchState.ROLLED_BACK)
        store.set_finding_status(record.patch.finding_id, FindingStatus.OPEN)
        store.record(
            "patch.rolled_back",
            actor=actor,
            run_id=record.run_id,
            subject=record.patch.id,
            payload={
                "branch": record.delivery.branch,
                "reverted": record.delivery.commit,
                "revert_commit": result.revert_commit,
                "tests": tests_payload(result.tests),
            },
        )
    return RollbackOutcome(
        record=store.get_patch(record.patch.id),
        revert_commit=result.revert_commit,
        branch=record.delivery.branch,
        tests=result.tests,
    )


def check_ledger(ws: Workspace) -> LedgerReport:
    return verify_ledger(ws.store.events(), ws.store.ledger_head())
