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
    DisclosureState,
    Finding,
    FindingId,
    FindingStatus,
    Fingerprint,
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
    # The payload's text as the store holds it (set by the store when it reads the event; not
    # part of the value, not copied by dataclasses.replace). Verification checks that it is the
    # canonical JSON of ``payload`` and hashes the event around it, encoding each event once.
    payload_json: str | None = field(default=None, init=False, repr=False, compare=False)


@dataclass(frozen=True, kw_only=True)
class NewEvent:
    """An event to append with :meth:`Store.record_many` (the store assigns seq, time, hashes)."""

    kind: str
    actor: str
    run_id: str | None = None
    subject: str = ""
    payload: Mapping[str, Any] | None = None


@dataclass(frozen=True, kw_only=True)
class CheckpointRecord:
    """A signed checkpoint of the ledger's Merkle tree (see :mod:`mamori.ledger.note`)."""

    id: int  # 1-based, in creation order
    tree_size: int
    root_hash: str  # hex
    origin: str
    at: str  # ISO 8601, UTC
    key_id: str  # hex, 4 bytes
    note: str  # the complete signed note


@dataclass(frozen=True, kw_only=True)
class AttestationRecord:
    """A DSSE envelope holding an in-toto Statement about one delivered patch."""

    id: int
    patch_id: str
    run_id: str | None
    subject_sha256: str  # of the patch diff
    commit: str
    at: str
    envelope: str  # the DSSE envelope as JSON text


@dataclass(frozen=True, kw_only=True)
class RiskAcceptance:
    """An owner's acceptance of a finding's risk until ``expires`` (then it reopens)."""

    id: int
    finding_id: FindingId
    owner: str
    reason: str
    expires: str  # ISO 8601, UTC
    actor: str  # who recorded it
    at: str
    state: str  # "active", "expired", "revoked"
    ended_at: str | None = None


@dataclass(frozen=True, kw_only=True)
class DisclosureStep:
    state: DisclosureState
    at: str  # ISO 8601, UTC
    note: str = ""


@dataclass(frozen=True, kw_only=True)
class DisclosureCase:
    """A coordinated-disclosure case for a vulnerability in third-party code."""

    id: str
    repo: str
    title: str
    vendor: str
    contact: str
    state: DisclosureState
    history: tuple[DisclosureStep, ...]
    created_at: str
    finding_id: FindingId | None = None
    embargo: str | None = None  # ISO date: publication is not allowed before it


@dataclass(frozen=True, kw_only=True)
class FindingEvent:
    """A finding's delta in one run, with the run's start time (for metrics)."""

    finding_id: FindingId
    run_id: RunId
    at: str
    delta: Delta


@dataclass(frozen=True, kw_only=True)
class TriageDecision:
    """An earlier triage outcome on a finding, as a person triaging a similar one would look up.

    ``kind`` is ``false_positive`` or ``suppressed`` (the finding's dismissal as it stands, with
    the suppression's rule as ``actor``), ``review.approved`` / ``review.rejected`` (a patch
    review), ``risk_accepted``, or ``ai.triage`` (an earlier model verdict).
    """

    finding_id: FindingId
    fingerprint: Fingerprint
    rule_id: str
    path: str
    kind: str
    actor: str
    reason: str
    at: str  # ISO 8601, UTC; for a dismissal, the start of the last run that saw the finding
    detail: str = ""  # e.g. the AI verdict and confidence, the acceptance's state and expiry


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

    def record_many(self, events: Sequence[NewEvent]) -> list[LedgerEvent]:
        """Append several events in order, atomically (one head read, one batch insert)."""
        ...

    def events(
        self,
        *,
        run_id: str | None = None,
        after: int = 0,
        kinds: Collection[str] | None = None,
    ) -> Iterator[LedgerEvent]:
        """All events in sequence order (optionally one run's, those after sequence number
        ``after``, or those of the given kinds)."""
        ...

    def ledger_head(self) -> tuple[int, str] | None:
        """(seq, hash) of the last event as recorded when it was appended."""
        ...

    def save_checkpoint(
        self,
        *,
        tree_size: int,
        root_hash: str,
        origin: str,
        at: str,
        key_id: str,
        note: str,
        frontier: str | None = None,
    ) -> CheckpointRecord:
        """Store a signed checkpoint; ``frontier`` is the tree's compact range at that size
        (hex subtree hashes, largest first), so that the next checkpoint need not rehash."""
        ...

    def checkpoint_frontier(self, checkpoint_id: int) -> str | None:
        """The compact range saved with a checkpoint (None for one saved without it)."""
        ...

    def checkpoints(self) -> list[CheckpointRecord]:
        """All checkpoints in creation order."""
        ...

    def save_attestation(
        self,
        *,
        patch_id: str,
        run_id: str | None,
        subject_sha256: str,
        commit: str,
        envelope: str,
    ) -> AttestationRecord: ...

    def attestations(
        self, *, run_id: str | None = None, patch_id: str | None = None
    ) -> list[AttestationRecord]: ...

    # --- prioritisation (CVSS set by triage, risk acceptances, disclosure, history) ---------
    def set_cvss_override(
        self, finding_id: FindingId, *, v3: str | None, v4: str | None, actor: str, reason: str
    ) -> None: ...

    def cvss_overrides(self, repo: str) -> dict[Fingerprint, tuple[str | None, str | None]]: ...

    def accept_risk(
        self, finding_id: FindingId, *, owner: str, reason: str, expires: str, actor: str
    ) -> RiskAcceptance:
        """Record an acceptance (replacing the finding's active one, which becomes revoked)."""
        ...

    def risk_acceptances(
        self, repo: str | None = None, *, active_only: bool = False
    ) -> list[RiskAcceptance]: ...

    def expire_risk_acceptances(self, now: str) -> list[RiskAcceptance]:
        """Mark active acceptances whose expiry is at or before ``now`` expired; return them."""
        ...

    def save_disclosure(self, case: DisclosureCase) -> None:
        """Insert or replace a case (keyed by id)."""
        ...

    def disclosures(self, repo: str | None = None) -> list[DisclosureCase]: ...

    def get_disclosure(self, case_id: str) -> DisclosureCase:
        """Accepts a unique id prefix. Raises NotFoundError."""
        ...

    def finding_events(self, repo: str) -> list[FindingEvent]:
        """Every (finding, run, delta) of the repository's runs, oldest run first."""
        ...

    def triage_history(
        self, repo: str, *, fingerprint: Fingerprint, rule_id: str, limit: int = 10
    ) -> list[TriageDecision]:
        """Earlier triage outcomes on the repository's findings with this fingerprint or this
        rule: dismissals and suppressions, patch reviews, risk acceptances and AI verdicts.
        Those on the fingerprint first, then most recent first; at most ``limit``."""
        ...
