"""The state store's interface.

State lives in ``PATH/.mamori/mamori.db`` (SQLite) by default, or any SQLAlchemy URL
(``postgresql+psycopg://...``). The implementation (:mod:`mamori.store.sql`) applies the Alembic
migrations on open. Every mutation is transactional: a crash, a ``kill -9`` or a full disk leaves
the previous committed state intact.

Ledger events are appended through :meth:`Store.record`; when called inside
:meth:`Store.transaction`, the event commits atomically with the state change it describes.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, Protocol

from mamori.domain import (
    Decision,
    Delivery,
    Delta,
    Finding,
    FindingId,
    FindingStatus,
    NotAnalysed,
    Patch,
    PatchId,
    PatchState,
    Review,
    RunId,
    Verification,
)

JsonDict = dict[str, Any]


@dataclass(frozen=True, kw_only=True)
class RunRecord:
    id: RunId
    repo: str  # the repository's identity (its resolved root path)
    actor: str  # who started the run
    started_at: str  # ISO 8601, UTC
    finished_at: str | None
    head_commit: str | None
    branch: str | None  # the mamori/<run-id> branch, once created
    status: str  # "running", "completed", "failed"
    summary: JsonDict = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class PatchRecord:
    patch: Patch
    run_id: RunId
    state: PatchState
    verification: Verification | None = None
    decision: Decision | None = None
    reviews: tuple[Review, ...] = ()
    delivery: Delivery | None = None
    rollback_commit: str | None = None


@dataclass(frozen=True, kw_only=True)
class LedgerEvent:
    """One event of the append-only, hash-chained ledger.

    ``hash = SHA-256(prev_hash || canonical JSON of (seq, at, kind, actor, run_id, subject,
    payload))`` (see :mod:`mamori.ledger.chain`).
    """

    seq: int  # 1-based, contiguous
    at: str  # ISO 8601, UTC
    kind: str  # e.g. "scan.completed", "patch.verified", "review.approved"
    actor: str  # engine id, fixer id or person
    run_id: str | None
    subject: str  # what the event is about (finding id, patch id, ...), "" if none
    payload: JsonDict  # JSON-serialisable; includes hashes of inputs and the outcome
    prev_hash: str
    hash: str


class Store(Protocol):
    # --- lifecycle -------------------------------------------------------------------------
    def close(self) -> None: ...

    def transaction(self) -> AbstractContextManager[None]:
        """Group several calls into one atomic commit (nestable; the outermost commits)."""
        ...

    # --- runs ------------------------------------------------------------------------------
    def begin_run(
        self, *, repo: str, actor: str, head_commit: str | None, options: Mapping[str, Any]
    ) -> RunRecord: ...

    def set_run_branch(self, run_id: RunId, branch: str) -> None: ...

    def finish_run(self, run_id: RunId, *, status: str, summary: Mapping[str, Any]) -> None: ...

    def get_run(self, run_id: RunId) -> RunRecord:
        """Raises NotFoundError."""
        ...

    def latest_run(self, repo: str, *, completed_only: bool = True) -> RunRecord | None: ...

    def list_runs(self, repo: str | None = None) -> list[RunRecord]: ...

    # --- findings --------------------------------------------------------------------------
    def save_findings(self, run_id: RunId, repo: str, findings: Sequence[Finding]) -> None:
        """Insert or update findings (keyed by (repo, fingerprint)); record each one's delta
        for this run in the run's finding list."""
        ...

    def findings(
        self, repo: str | None = None, *, statuses: Collection[FindingStatus] | None = None
    ) -> list[Finding]: ...

    def get_finding(self, finding_id: FindingId) -> Finding:
        """Accepts a unique id prefix. Raises NotFoundError."""
        ...

    def set_finding_status(self, finding_id: FindingId, status: FindingStatus) -> None: ...

    def run_deltas(self, run_id: RunId) -> dict[FindingId, Delta]: ...

    def save_not_analysed(self, run_id: RunId, items: Sequence[NotAnalysed]) -> None: ...

    def not_analysed(self, run_id: RunId) -> list[NotAnalysed]: ...

    # --- patches ---------------------------------------------------------------------------
    def save_patch(self, run_id: RunId, patch: Patch, state: PatchState) -> None: ...

    def get_patch(self, patch_id: PatchId) -> PatchRecord:
        """Accepts a unique id prefix. Raises NotFoundError."""
        ...

    def patches(
        self,
        *,
        run_id: RunId | None = None,
        finding_id: FindingId | None = None,
        states: Collection[PatchState] | None = None,
    ) -> list[PatchRecord]: ...

    def set_patch_state(self, patch_id: PatchId, state: PatchState) -> None: ...

    def save_verification(self, verification: Verification) -> None: ...

    def save_decision(self, decision: Decision) -> None: ...

    def add_review(self, review: Review) -> None: ...

    def save_delivery(self, delivery: Delivery) -> None: ...

    def save_rollback(self, patch_id: PatchId, commit: str) -> None: ...

    # --- ledger ----------------------------------------------------------------------------
    def record(
        self,
        kind: str,
        *,
        actor: str,
        run_id: str | None = None,
        subject: str = "",
        payload: Mapping[str, Any] | None = None,
    ) -> LedgerEvent:
        """Append one event to the hash-chained ledger."""
        ...

    def events(self, *, run_id: str | None = None) -> Iterator[LedgerEvent]:
        """All events in sequence order (optionally one run's)."""
        ...

    def ledger_head(self) -> tuple[int, str] | None:
        """(seq, hash) of the last event as recorded when it was appended."""
        ...
