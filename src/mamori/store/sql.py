"""The SQL implementation of :class:`mamori.store.interface.Store` (SQLite or PostgreSQL).

``SqlStore.open(url)`` checks the target (never touching a file that is not a Mamori
database), applies the Alembic migrations (a no-op when current) and returns a store. Every
public method runs in a transaction: its own, or the one opened by :meth:`SqlStore.transaction`
in the same thread. Nested ``transaction()`` blocks are savepoints: an exception leaving one
undoes exactly that block, and only the outermost block commits.

Ledger appends are serialised across processes: on SQLite every write transaction starts with
``BEGIN IMMEDIATE`` (the database write lock is taken before the ledger head is read); on
PostgreSQL the ledger head row is read with ``SELECT ... FOR UPDATE``.
"""

from __future__ import annotations

import json
import re
import sqlite3
import threading
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.script.revision import RevisionError
from alembic.util import CommandError
from sqlalchemy import Connection, Engine, create_engine, event, func, select, update
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, SQLAlchemyError
from sqlalchemy.orm import InstrumentedAttribute, Session

from mamori.domain import (
    Confidence,
    Decision,
    Delivery,
    Delta,
    DependencyRef,
    DisclosureState,
    EngineId,
    Finding,
    FindingId,
    FindingStatus,
    Fingerprint,
    FlowStep,
    Location,
    NotAnalysed,
    Patch,
    PatchId,
    PatchState,
    Priority,
    Review,
    RuleId,
    RunId,
    Severity,
    Source,
    Suppression,
    Verification,
)
from mamori.errors import LedgerTamperedError, NotFoundError, StoreError
from mamori.ledger.chain import (
    UNREADABLE_PAYLOAD_KEY,
    LedgerPayloadError,
    canonical_json,
    event_hash_json,
)
from mamori.ledger.log import entry_bytes
from mamori.serialize import SerializeError, from_jsonable, to_jsonable
from mamori.store.ids import finding_id, new_run_id, utc_now
from mamori.store.interface import (
    AttestationRecord,
    CheckpointRecord,
    DisclosureCase,
    DisclosureStep,
    FindingEvent,
    LedgerEvent,
    NewEvent,
    PatchRecord,
    RiskAcceptance,
    RunRecord,
    TriageDecision,
)
from mamori.store.models import (
    Base,
    CvssOverrideRow,
    DecisionRow,
    DeliveryRow,
    DisclosureCaseRow,
    FindingRow,
    LedgerAttestationRow,
    LedgerCheckpointRow,
    LedgerEventRow,
    LedgerHeadRow,
    NotAnalysedRow,
    PatchRow,
    ReviewRow,
    RiskAcceptanceRow,
    RunFindingRow,
    RunRow,
    VerificationRow,
)

__all__ = ["MIGRATIONS_DIR", "SqlStore", "default_url"]

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
RUN_STATUSES = ("running", "completed", "failed")
SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_S = 10
# Key of the PostgreSQL advisory lock that serialises concurrent migrations ("mamori").
_PG_MIGRATION_LOCK = 0x6D616D6F7269
_BEGIN_OPTION = "mamori_sqlite_begin"
_EVENT_BATCH = 2000
_LONG_DIGITS = re.compile(r"\d{16}")
_ID_CHUNK = 500

_R = TypeVar("_R", bound=Base)


def default_url(repo_root: Path) -> str:
    """``sqlite:///<root>/.mamori/mamori.db`` for the repository at ``repo_root``."""
    return f"sqlite:///{(repo_root.resolve() / '.mamori' / 'mamori.db').as_posix()}"


class SqlStore:
    """A :class:`~mamori.store.interface.Store` on SQLAlchemy. Use :meth:`open`.

    One instance may be shared by threads: the current transaction is per thread.
    """

    def __init__(self, engine: Engine, *, shown_url: str) -> None:
        self._engine = engine
        self._shown_url = shown_url
        self._local = threading.local()

    # --- lifecycle -------------------------------------------------------------------------
    @classmethod
    def open(cls, url: str) -> SqlStore:
        """Open (creating and migrating as needed) the store at ``url``.

        Raises :class:`StoreError` naming the URL (password hidden) when the database cannot
        be opened, is not a Mamori database, is corrupt, or has a newer schema.
        """
        parsed = _parse_url(url)
        shown = parsed.render_as_string(hide_password=True)
        if parsed.get_backend_name() == "sqlite":
            _check_sqlite_file(parsed, shown)
        try:
            engine = _create_engine(parsed)
        except (SQLAlchemyError, ImportError) as e:
            raise StoreError(
                f"cannot use the database {shown}: {e}",
                hint="check the URL's driver (e.g. postgresql+psycopg://...) is installed",
            ) from e
        try:
            _migrate(engine, shown)
        except BaseException:
            engine.dispose()
            raise
        return cls(engine, shown_url=shown)

    @staticmethod
    def default_url(repo_root: Path) -> str:
        return default_url(repo_root)

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine (for maintenance and tests; the schema belongs to Mamori)."""
        return self._engine

    @property
    def url(self) -> str:
        """The database URL with any password hidden."""
        return self._shown_url

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> SqlStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def transaction(self) -> AbstractContextManager[None]:
        """Group several calls into one atomic commit (nestable; the outermost commits)."""
        return self._transaction()

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        with self._scope(write=True):
            yield

    @contextmanager
    def _scope(self, *, write: bool, savepoint: bool = True) -> Iterator[Session]:
        current: Session | None = getattr(self._local, "session", None)
        if current is not None:
            # savepoint=False: the caller keeps its own writes atomic (record() does, with a
            # driver-level SAVEPOINT that costs far less than the ORM's begin_nested).
            if not write or not savepoint:
                yield current
                return
            # The ledger head as of the savepoint: restored if the block is rolled back, with
            # the events it appended.
            head = getattr(self._local, "ledger_pending", None)
            try:
                with current.begin_nested():
                    yield current
            except SQLAlchemyError as e:
                self._local.ledger_pending = head
                raise self._wrap(e) from e
            except BaseException:
                self._local.ledger_pending = head
                raise
            return
        session = Session(self._engine, expire_on_commit=False, autoflush=True)
        self._local.session = session
        self._local.ledger_pending = None
        try:
            with session.begin():
                # Must come first: it opens the connection and emits BEGIN (IMMEDIATE on SQLite
                # for writes, so that the write lock is held before anything is read).
                session.connection(
                    execution_options={_BEGIN_OPTION: "IMMEDIATE" if write else "DEFERRED"}
                )
                yield session
                self._write_ledger_head(session)
        except SQLAlchemyError as e:
            raise self._wrap(e) from e
        finally:
            self._local.session = None
            self._local.ledger_pending = None
            session.close()

    def _write_ledger_head(self, session: Session) -> None:
        """Store the ledger head once per transaction, just before it commits.

        Appends keep the head in memory while their transaction holds the ledger lock (BEGIN
        IMMEDIATE / SELECT ... FOR UPDATE): rewriting the one head row for every event made
        each append in a long transaction slower than the last on PostgreSQL (every update
        leaves a row version the next must step over until commit).
        """
        pending: _PendingHead | None = self._local.ledger_pending
        if pending is None or not pending.dirty:
            return
        session.execute(
            update(LedgerHeadRow)
            .where(LedgerHeadRow.id == 1)
            .values(seq=pending.seq, hash=pending.hash)
            .execution_options(synchronize_session=False)
        )

    def _wrap(self, e: SQLAlchemyError) -> StoreError:
        detail = str(e.orig) if isinstance(e, DBAPIError) else str(e)
        detail = detail.splitlines()[0] if detail else type(e).__name__
        lowered = detail.lower()
        if "locked" in lowered or "busy" in lowered:
            hint = "another process holds the database; retry when it has finished"
        elif "malformed" in lowered or "not a database" in lowered:
            hint = "the database file is corrupt; restore it from a backup"
        elif "readonly" in lowered or "read-only" in lowered:
            hint = "the database is read-only; check the file's permissions"
        else:
            hint = None
        return StoreError(f"database error on {self._shown_url}: {detail}", hint=hint)

    # --- runs ------------------------------------------------------------------------------
    def begin_run(
        self, *, repo: str, actor: str, head_commit: str | None, options: Mapping[str, Any]
    ) -> RunRecord:
        row = RunRow(
            id=new_run_id(),
            repo=repo,
            actor=actor,
            started_at=utc_now(),
            finished_at=None,
            head_commit=head_commit,
            branch=None,
            status="running",
            options=_json_object(options),
            summary={},
        )
        with self._scope(write=True) as s:
            s.add(row)
            s.flush()
            return _run_record(row)

    def set_run_branch(self, run_id: RunId, branch: str) -> None:
        with self._scope(write=True) as s:
            _get_exact(s, RunRow, run_id, "run").branch = branch

    def finish_run(self, run_id: RunId, *, status: str, summary: Mapping[str, Any]) -> None:
        if status not in RUN_STATUSES:
            raise ValueError(f"unknown run status {status!r} (expected one of {RUN_STATUSES})")
        with self._scope(write=True) as s:
            row = _get_exact(s, RunRow, run_id, "run")
            row.status = status
            row.finished_at = utc_now()
            row.summary = _json_object(summary)

    def get_run(self, run_id: RunId) -> RunRecord:
        """Accepts a unique id prefix. Raises NotFoundError."""
        with self._scope(write=False) as s:
            return _run_record(_resolve(s, RunRow, RunRow.id, run_id, "run"))

    def latest_run(self, repo: str, *, completed_only: bool = True) -> RunRecord | None:
        with self._scope(write=False) as s:
            q = select(RunRow).where(RunRow.repo == repo)
            if completed_only:
                q = q.where(RunRow.status == "completed")
            row = s.scalars(q.order_by(RunRow.started_at.desc(), RunRow.id.desc()).limit(1)).first()
            return _run_record(row) if row is not None else None

    def list_runs(self, repo: str | None = None) -> list[RunRecord]:
        """Runs, newest first."""
        with self._scope(write=False) as s:
            q = select(RunRow)
            if repo is not None:
                q = q.where(RunRow.repo == repo)
            rows = s.scalars(q.order_by(RunRow.started_at.desc(), RunRow.id.desc())).all()
            return [_run_record(r) for r in rows]

    # --- findings --------------------------------------------------------------------------
    def save_findings(self, run_id: RunId, repo: str, findings: Sequence[Finding]) -> None:
        """Insert or update findings (keyed by (repo, fingerprint)); record each one's delta
        for this run in the run's finding list.

        The stored id is :func:`mamori.store.ids.finding_id` of (repo, fingerprint) whatever
        ``Finding.id`` says. ``first_seen_run`` keeps its stored value (a new finding gets the
        given one, else this run); ``last_seen_run`` becomes this run unless the delta is
        ``FIXED`` (the finding was not seen).
        """
        # Later entries win when a fingerprint repeats, as they would if saved one by one.
        by_id = {finding_id(repo, f.fingerprint): f for f in findings}
        with self._scope(write=True) as s:
            _get_exact(s, RunRow, run_id, "run")
            existing = {r.id: r for r in _rows_by_ids(s, FindingRow, FindingRow.id, by_id)}
            deltas = {
                r.finding_id: r
                for r in s.scalars(
                    select(RunFindingRow).where(RunFindingRow.run_id == run_id)
                ).all()
            }
            for fid, f in by_id.items():
                row = existing.get(fid)
                if row is None:
                    row = FindingRow(
                        id=fid,
                        repo=repo,
                        fingerprint=f.fingerprint,
                        first_seen_run=f.first_seen_run or run_id,
                        last_seen_run=None,
                    )
                    s.add(row)
                elif (row.repo, row.fingerprint) != (repo, f.fingerprint):
                    raise StoreError(
                        f"finding id {fid} already belongs to another finding "
                        f"({row.repo}, {row.fingerprint})",
                        hint="this is a 40-bit id collision; please report it",
                    )
                _fill_finding(row, f)
                if f.delta is not Delta.FIXED:
                    row.last_seen_run = run_id
                elif f.last_seen_run is not None:
                    row.last_seen_run = f.last_seen_run
                link = deltas.get(fid)
                if link is None:
                    s.add(RunFindingRow(run_id=run_id, finding_id=fid, delta=f.delta.value))
                else:
                    link.delta = f.delta.value

    def findings(
        self, repo: str | None = None, *, statuses: Collection[FindingStatus] | None = None
    ) -> list[Finding]:
        """Findings by descending risk score, then path, line and id."""
        with self._scope(write=False) as s:
            q = select(FindingRow)
            if repo is not None:
                q = q.where(FindingRow.repo == repo)
            if statuses is not None:
                q = q.where(FindingRow.status.in_([st.value for st in statuses]))
            q = q.order_by(
                FindingRow.risk_score.desc(),
                FindingRow.path,
                FindingRow.start_line,
                FindingRow.id,
            )
            return [_finding(r) for r in s.scalars(q).all()]

    def get_finding(self, finding_id: FindingId) -> Finding:
        """Accepts a unique id prefix. Raises NotFoundError."""
        with self._scope(write=False) as s:
            return _finding(_resolve(s, FindingRow, FindingRow.id, finding_id, "finding"))

    def set_finding_status(self, finding_id: FindingId, status: FindingStatus) -> None:
        with self._scope(write=True) as s:
            _get_exact(s, FindingRow, finding_id, "finding").status = status.value

    def run_deltas(self, run_id: RunId) -> dict[FindingId, Delta]:
        with self._scope(write=False) as s:
            _get_exact(s, RunRow, run_id, "run")
            rows = s.scalars(select(RunFindingRow).where(RunFindingRow.run_id == run_id)).all()
            return {FindingId(r.finding_id): _enum(Delta, r.delta, "delta") for r in rows}

    def save_not_analysed(self, run_id: RunId, items: Sequence[NotAnalysed]) -> None:
        with self._scope(write=True) as s:
            _get_exact(s, RunRow, run_id, "run")
            s.add_all(
                NotAnalysedRow(run_id=run_id, path=i.path, engine=i.engine, reason=i.reason)
                for i in items
            )

    def not_analysed(self, run_id: RunId) -> list[NotAnalysed]:
        with self._scope(write=False) as s:
            rows = s.scalars(
                select(NotAnalysedRow)
                .where(NotAnalysedRow.run_id == run_id)
                .order_by(NotAnalysedRow.id)
            ).all()
            return [
                NotAnalysed(
                    path=r.path,
                    engine=None if r.engine is None else EngineId(r.engine),
                    reason=r.reason,
                )
                for r in rows
            ]

    # --- patches ---------------------------------------------------------------------------
    def save_patch(self, run_id: RunId, patch: Patch, state: PatchState) -> None:
        """Store a new patch.

        Saving an identical patch again (patch ids are derived from their content, so a later
        run may propose the same one) moves it to ``run_id`` and sets its state, keeping its
        earlier reviews; a *different* patch under an existing id is refused (StoreError):
        evidence is never overwritten.
        """
        with self._scope(write=True) as s:
            _get_exact(s, RunRow, run_id, "run")
            _get_exact(s, FindingRow, patch.finding_id, "finding")
            now = utc_now()
            row = s.get(PatchRow, patch.id)
            if row is not None:
                if _patch(row) != patch:
                    raise StoreError(
                        f"patch {patch.id} already exists with different content",
                        hint="patch ids must be unique; a changed patch needs a new id",
                    )
                row.run_id = run_id
                row.state = state.value
                row.updated_at = now
                return
            s.add(
                PatchRow(
                    id=patch.id,
                    run_id=run_id,
                    finding_id=patch.finding_id,
                    fixer_id=patch.fixer_id,
                    strategy=patch.strategy.value,
                    risk=patch.risk.value,
                    risk_reason=patch.risk_reason,
                    description=patch.description,
                    diff=patch.diff,
                    files=list(patch.files),
                    requested_by=patch.requested_by,
                    state=state.value,
                    created_at=now,
                    updated_at=now,
                )
            )

    def get_patch(self, patch_id: PatchId) -> PatchRecord:
        """Accepts a unique id prefix. Raises NotFoundError."""
        with self._scope(write=False) as s:
            row = _resolve(s, PatchRow, PatchRow.id, patch_id, "patch")
            return _patch_records(s, [row])[0]

    def patches(
        self,
        *,
        run_id: RunId | None = None,
        finding_id: FindingId | None = None,
        states: Collection[PatchState] | None = None,
    ) -> list[PatchRecord]:
        """Patches in creation order."""
        with self._scope(write=False) as s:
            q = select(PatchRow)
            if run_id is not None:
                q = q.where(PatchRow.run_id == run_id)
            if finding_id is not None:
                q = q.where(PatchRow.finding_id == finding_id)
            if states is not None:
                q = q.where(PatchRow.state.in_([st.value for st in states]))
            rows = list(s.scalars(q.order_by(PatchRow.created_at, PatchRow.id)).all())
            return _patch_records(s, rows)

    def set_patch_state(self, patch_id: PatchId, state: PatchState) -> None:
        with self._scope(write=True) as s:
            row = _get_exact(s, PatchRow, patch_id, "patch")
            row.state = state.value
            row.updated_at = utc_now()

    def save_verification(self, verification: Verification) -> None:
        """Store (or replace, after a re-verification) the patch's verification."""
        data = to_jsonable(verification)
        with self._scope(write=True) as s:
            _get_exact(s, PatchRow, verification.patch_id, "patch")
            row = s.get(VerificationRow, verification.patch_id)
            if row is None:
                row = VerificationRow(patch_id=verification.patch_id)
                s.add(row)
            row.status = data["status"]
            row.checks = data["checks"]
            row.tests_before = data["tests_before"]
            row.tests_after = data["tests_after"]
            row.environment = data["environment"]
            row.at = utc_now()

    def save_decision(self, decision: Decision) -> None:
        """Store (or replace) the gate's decision for the patch."""
        with self._scope(write=True) as s:
            _get_exact(s, PatchRow, decision.patch_id, "patch")
            row = s.get(DecisionRow, decision.patch_id)
            if row is None:
                row = DecisionRow(patch_id=decision.patch_id)
                s.add(row)
            row.outcome = decision.outcome.value
            row.rule = decision.rule
            row.reasons = list(decision.reasons)
            row.at = utc_now()

    def add_review(self, review: Review) -> None:
        with self._scope(write=True) as s:
            _get_exact(s, PatchRow, review.patch_id, "patch")
            s.add(
                ReviewRow(
                    patch_id=review.patch_id,
                    reviewer=review.reviewer,
                    verdict=review.verdict.value,
                    reason=review.reason,
                    at=utc_now(),
                )
            )

    def save_delivery(self, delivery: Delivery) -> None:
        with self._scope(write=True) as s:
            _get_exact(s, PatchRow, delivery.patch_id, "patch")
            row = s.get(DeliveryRow, delivery.patch_id)
            if row is None:
                row = DeliveryRow(patch_id=delivery.patch_id, rollback_commit=None)
                s.add(row)
            row.branch = delivery.branch
            row.commit = delivery.commit
            row.at = utc_now()

    def save_rollback(self, patch_id: PatchId, commit: str) -> None:
        """Record the commit that reverted the patch's delivery (the state is set separately)."""
        with self._scope(write=True) as s:
            _get_exact(s, PatchRow, patch_id, "patch")
            row = s.get(DeliveryRow, patch_id)
            if row is None:
                raise NotFoundError(
                    f"patch {patch_id} has no delivery to roll back",
                    hint="only delivered patches can be rolled back",
                )
            row.rollback_commit = commit
            row.rolled_back_at = utc_now()

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
        """Append one event to the hash-chained ledger.

        ``payload`` may hold anything :func:`mamori.serialize.to_jsonable` accepts (enums and
        dataclasses included); the returned event carries it as stored (plain JSON).
        Raises :class:`LedgerPayloadError` for a payload that is not JSON (e.g. NaN).
        """
        new = NewEvent(kind=kind, actor=actor, run_id=run_id, subject=subject, payload=payload)
        return self.record_many((new,))[0]

    def record_many(self, events: Sequence[NewEvent]) -> list[LedgerEvent]:
        """Append ``events`` in order, atomically: one head read, one batch insert, one head
        update. Every payload is checked before anything is written."""
        prepared = [_prepare_payload(e) for e in events]
        if not prepared:
            return []
        nested = getattr(self._local, "session", None) is not None
        with self._scope(write=True, savepoint=False) as s:
            conn = s.connection()
            # The driver's cursor, not SQLAlchemy statements: an append is on every stage's
            # path, and SQLAlchemy's per-statement overhead was ~30x the cost of the SQL
            # itself (bench/ledger). Same connection, so the same transaction and savepoint.
            dbapi = conn.dialect.dbapi
            mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
            cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
            pending: _PendingHead | None = self._local.ledger_pending
            # Several rows inside the caller's transaction: undone as a whole if one fails, and
            # the caller's transaction survives. One row is one statement, atomic by itself.
            guard = nested and len(prepared) > 1
            try:
                if guard:
                    cursor.execute("SAVEPOINT mamori_ledger_append")
                if pending is None:
                    # Once per transaction. FOR UPDATE serialises appenders on PostgreSQL until
                    # commit; SQLite is already serialised by BEGIN IMMEDIATE (and does not
                    # accept the clause).
                    lock = "" if conn.dialect.name == "sqlite" else " FOR UPDATE"
                    cursor.execute(f"SELECT seq, hash FROM ledger_head WHERE id = 1{lock}")
                    head = cursor.fetchone()
                    if head is None:
                        raise LedgerTamperedError(
                            f"the ledger head row is missing in {self._shown_url}",
                            hint="run `mamori ledger verify`; the ledger has been tampered with",
                        )
                    pending = _PendingHead(seq=int(head[0]), hash=str(head[1]), dirty=False)
                seq, prev = pending.seq, pending.hash
                out: list[LedgerEvent] = []
                rows: list[tuple[Any, ...]] = []
                for e, text, stored in prepared:
                    seq += 1
                    at = utc_now()
                    digest = event_hash_json(
                        prev,
                        seq=seq,
                        at=at,
                        kind=e.kind,
                        actor=e.actor,
                        run_id=e.run_id,
                        subject=e.subject,
                        payload_json=text,
                    )
                    out.append(
                        LedgerEvent(
                            seq=seq,
                            at=at,
                            kind=e.kind,
                            actor=e.actor,
                            run_id=e.run_id,
                            subject=e.subject,
                            payload=stored,
                            prev_hash=prev,
                            hash=digest,
                        )
                    )
                    rows.append((seq, at, e.kind, e.actor, e.run_id, e.subject, text, prev, digest))
                    prev = digest
                insert = (
                    "INSERT INTO ledger_events (seq, at, kind, actor, run_id, subject, payload, "
                    f"prev_hash, hash) VALUES ({', '.join([mark] * 9)})"
                )
                if len(rows) == 1:
                    cursor.execute(insert, rows[0])
                else:
                    cursor.executemany(insert, rows)
                if guard:
                    cursor.execute("RELEASE SAVEPOINT mamori_ledger_append")
            except BaseException as e:
                if guard:
                    try:
                        cursor.execute("ROLLBACK TO SAVEPOINT mamori_ledger_append")
                        cursor.execute("RELEASE SAVEPOINT mamori_ledger_append")
                    except dbapi.Error:  # type: ignore[union-attr]
                        # The connection is unusable; the outer transaction will fail and
                        # roll back everything, this append included.
                        pass
                if isinstance(e, dbapi.Error):  # type: ignore[union-attr]
                    raise self._wrap(DBAPIError(None, None, e)) from e
                raise
            finally:
                cursor.close()
            # Only now that every row is in: the head row itself is written at commit.
            self._local.ledger_pending = _PendingHead(seq=seq, hash=prev, dirty=True)
        return out

    def events(
        self,
        *,
        run_id: str | None = None,
        after: int = 0,
        kinds: Collection[str] | None = None,
    ) -> Iterator[LedgerEvent]:
        """All events in sequence order (optionally one run's, those after sequence number
        ``after``, or those of the given ``kinds``).

        Read in batches, each in its own short transaction, so a long ledger neither sits in
        memory nor holds a snapshot open. An event whose stored payload is not a JSON object
        comes back with ``payload = {UNREADABLE_PAYLOAD_KEY: <stored text>}``, and every event
        carries its stored text as ``payload_json``, so that
        :func:`mamori.ledger.verify_ledger` names an event whose text is not exactly the
        canonical JSON that was hashed.
        """
        table = LedgerEventRow.__table__
        # Core statement on the table (no ORM entity loading): verification reads every row.
        base = select(table)
        if run_id is not None:
            base = base.where(table.c.run_id == run_id)
        if kinds is not None:
            base = base.where(table.c.kind.in_(sorted(kinds)))
        last = after
        while True:
            with self._scope(write=False) as s:
                q = base.where(table.c.seq > last).order_by(table.c.seq).limit(_EVENT_BATCH)
                rows = s.connection().execute(q).all()
                batch = [_event(r) for r in rows]
            if not batch:
                return
            yield from batch
            last = batch[-1].seq

    def ledger_head(self) -> tuple[int, str] | None:
        """(seq, hash) of the last event as recorded when it was appended."""
        pending: _PendingHead | None = getattr(self._local, "ledger_pending", None)
        if pending is not None and getattr(self._local, "session", None) is not None:
            # Inside the transaction that appended: the head row is written at its commit.
            return (pending.seq, pending.hash) if pending.seq else None
        with self._scope(write=False) as s:
            # A query, not session.get: record() updates the row with Core statements, which
            # the session's identity map would not see.
            head = s.execute(
                select(LedgerHeadRow.seq, LedgerHeadRow.hash).where(LedgerHeadRow.id == 1)
            ).first()
            if head is None or head[0] == 0:
                return None
            return head[0], head[1]

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
        with self._scope(write=True) as s:
            row = LedgerCheckpointRow(
                tree_size=tree_size,
                root_hash=root_hash,
                origin=origin,
                at=at,
                key_id=key_id,
                note=note,
                frontier=frontier,
            )
            s.add(row)
            s.flush()
            return _checkpoint(row)

    def checkpoint_frontier(self, checkpoint_id: int) -> str | None:
        with self._scope(write=False) as s:
            return s.execute(
                select(LedgerCheckpointRow.frontier).where(LedgerCheckpointRow.id == checkpoint_id)
            ).scalar_one_or_none()

    def checkpoints(self) -> list[CheckpointRecord]:
        with self._scope(write=False) as s:
            rows = s.scalars(select(LedgerCheckpointRow).order_by(LedgerCheckpointRow.id)).all()
            return [_checkpoint(r) for r in rows]

    def save_attestation(
        self,
        *,
        patch_id: str,
        run_id: str | None,
        subject_sha256: str,
        commit: str,
        envelope: str,
    ) -> AttestationRecord:
        with self._scope(write=True) as s:
            row = LedgerAttestationRow(
                patch_id=patch_id,
                run_id=run_id,
                subject_sha256=subject_sha256,
                commit=commit,
                at=utc_now(),
                envelope=envelope,
            )
            s.add(row)
            s.flush()
            return _attestation(row)

    def attestations(
        self, *, run_id: str | None = None, patch_id: str | None = None
    ) -> list[AttestationRecord]:
        with self._scope(write=False) as s:
            q = select(LedgerAttestationRow)
            if run_id is not None:
                q = q.where(LedgerAttestationRow.run_id == run_id)
            if patch_id is not None:
                q = q.where(LedgerAttestationRow.patch_id == patch_id)
            rows = s.scalars(q.order_by(LedgerAttestationRow.id)).all()
            return [_attestation(r) for r in rows]

    # --- prioritisation --------------------------------------------------------------------
    def set_cvss_override(
        self, finding_id: FindingId, *, v3: str | None, v4: str | None, actor: str, reason: str
    ) -> None:
        with self._scope(write=True) as s:
            _get_exact(s, FindingRow, finding_id, "finding")
            row = s.get(CvssOverrideRow, finding_id)
            if row is None:
                row = CvssOverrideRow(finding_id=finding_id)
                s.add(row)
            row.v3, row.v4, row.actor, row.reason, row.at = v3, v4, actor, reason, utc_now()

    def cvss_overrides(self, repo: str) -> dict[Fingerprint, tuple[str | None, str | None]]:
        with self._scope(write=False) as s:
            q = (
                select(FindingRow.fingerprint, CvssOverrideRow.v3, CvssOverrideRow.v4)
                .join(FindingRow, FindingRow.id == CvssOverrideRow.finding_id)
                .where(FindingRow.repo == repo)
            )
            return {Fingerprint(fp): (v3, v4) for fp, v3, v4 in s.execute(q).all()}

    def accept_risk(
        self, finding_id: FindingId, *, owner: str, reason: str, expires: str, actor: str
    ) -> RiskAcceptance:
        now = utc_now()
        with self._scope(write=True) as s:
            _get_exact(s, FindingRow, finding_id, "finding")
            for old in s.scalars(
                select(RiskAcceptanceRow).where(
                    RiskAcceptanceRow.finding_id == finding_id, RiskAcceptanceRow.state == "active"
                )
            ).all():
                old.state, old.ended_at = "revoked", now
            row = RiskAcceptanceRow(
                finding_id=finding_id,
                owner=owner,
                reason=reason,
                expires=expires,
                actor=actor,
                at=now,
                state="active",
                ended_at=None,
            )
            s.add(row)
            s.flush()
            return _acceptance(row)

    def risk_acceptances(
        self, repo: str | None = None, *, active_only: bool = False
    ) -> list[RiskAcceptance]:
        with self._scope(write=False) as s:
            q = select(RiskAcceptanceRow)
            if repo is not None:
                q = q.join(FindingRow, FindingRow.id == RiskAcceptanceRow.finding_id).where(
                    FindingRow.repo == repo
                )
            if active_only:
                q = q.where(RiskAcceptanceRow.state == "active")
            return [_acceptance(r) for r in s.scalars(q.order_by(RiskAcceptanceRow.id)).all()]

    def expire_risk_acceptances(self, now: str) -> list[RiskAcceptance]:
        with self._scope(write=True) as s:
            expired = []
            for row in s.scalars(
                select(RiskAcceptanceRow).where(RiskAcceptanceRow.state == "active")
            ).all():
                # Compared as instants, not text: the expiry may carry another ISO spelling.
                if _instant(row.expires) <= _instant(now):
                    row.state, row.ended_at = "expired", now
                    expired.append(_acceptance(row))
            return expired

    def save_disclosure(self, case: DisclosureCase) -> None:
        with self._scope(write=True) as s:
            if case.finding_id is not None:
                _get_exact(s, FindingRow, case.finding_id, "finding")
            row = s.get(DisclosureCaseRow, case.id)
            if row is None:
                row = DisclosureCaseRow(id=case.id)
                s.add(row)
            row.finding_id = case.finding_id
            row.repo = case.repo
            row.title = case.title
            row.vendor = case.vendor
            row.contact = case.contact
            row.embargo = case.embargo
            row.state = case.state.value
            row.history = to_jsonable(case.history)
            row.created_at = case.created_at

    def disclosures(self, repo: str | None = None) -> list[DisclosureCase]:
        with self._scope(write=False) as s:
            q = select(DisclosureCaseRow)
            if repo is not None:
                q = q.where(DisclosureCaseRow.repo == repo)
            q = q.order_by(DisclosureCaseRow.created_at, DisclosureCaseRow.id)
            return [_disclosure(r) for r in s.scalars(q).all()]

    def get_disclosure(self, case_id: str) -> DisclosureCase:
        with self._scope(write=False) as s:
            return _disclosure(
                _resolve(s, DisclosureCaseRow, DisclosureCaseRow.id, case_id, "disclosure case")
            )

    def finding_events(self, repo: str) -> list[FindingEvent]:
        with self._scope(write=False) as s:
            q = (
                select(RunFindingRow.finding_id, RunRow.id, RunRow.started_at, RunFindingRow.delta)
                .join(RunRow, RunRow.id == RunFindingRow.run_id)
                .where(RunRow.repo == repo)
                .order_by(RunRow.started_at, RunRow.id, RunFindingRow.finding_id)
            )
            return [
                FindingEvent(
                    finding_id=FindingId(fid),
                    run_id=RunId(rid),
                    at=at,
                    delta=_decode(Delta, delta, f"finding {fid}"),
                )
                for fid, rid, at, delta in s.execute(q).all()
            ]

    def triage_history(
        self, repo: str, *, fingerprint: Fingerprint, rule_id: str, limit: int = 10
    ) -> list[TriageDecision]:
        if limit <= 0:
            return []
        match = (FindingRow.repo == repo) & (
            (FindingRow.fingerprint == fingerprint) | (FindingRow.rule_id == rule_id)
        )
        # False (this fingerprint) sorts before True: the finding's own history comes first.
        other = FindingRow.fingerprint != fingerprint
        cols = (FindingRow.id, FindingRow.fingerprint, FindingRow.rule_id, FindingRow.path)
        out: list[TriageDecision] = []

        def add(row: Any, kind: str, actor: str, reason: str, at: str, detail: str = "") -> None:
            out.append(
                TriageDecision(
                    finding_id=FindingId(row.id),
                    fingerprint=Fingerprint(row.fingerprint),
                    rule_id=row.rule_id,
                    path=row.path,
                    kind=kind,
                    actor=actor,
                    reason=reason,
                    at=at or "",
                    detail=detail,
                )
            )

        with self._scope(write=False) as s:
            dismissed = (
                select(*cols, FindingRow.status, FindingRow.suppression, RunRow.started_at)
                .outerjoin(RunRow, RunRow.id == FindingRow.last_seen_run)
                .where(
                    match,
                    FindingRow.status.in_(
                        [FindingStatus.FALSE_POSITIVE.value, FindingStatus.SUPPRESSED.value]
                    ),
                )
                .order_by(other, RunRow.started_at.desc(), FindingRow.id)
                .limit(limit)
            )
            for row in s.execute(dismissed).all():
                sup = row.suppression if isinstance(row.suppression, dict) else {}
                add(
                    row,
                    row.status,
                    str(sup.get("rule", "")),
                    str(sup.get("reason", "")),
                    row.started_at,
                )
            reviews = (
                select(
                    *cols,
                    ReviewRow.verdict,
                    ReviewRow.reviewer,
                    ReviewRow.reason,
                    ReviewRow.at,
                    PatchRow.fixer_id,
                )
                .join(PatchRow, PatchRow.id == ReviewRow.patch_id)
                .join(FindingRow, FindingRow.id == PatchRow.finding_id)
                .where(match)
                .order_by(other, ReviewRow.at.desc(), ReviewRow.id.desc())
                .limit(limit)
            )
            for row in s.execute(reviews).all():
                add(
                    row,
                    f"review.{row.verdict}",
                    row.reviewer,
                    row.reason,
                    row.at,
                    f"of a patch by {row.fixer_id}",
                )
            accepted = (
                select(
                    *cols,
                    RiskAcceptanceRow.owner,
                    RiskAcceptanceRow.reason,
                    RiskAcceptanceRow.at,
                    RiskAcceptanceRow.state,
                    RiskAcceptanceRow.expires,
                )
                .join(FindingRow, FindingRow.id == RiskAcceptanceRow.finding_id)
                .where(match)
                .order_by(other, RiskAcceptanceRow.at.desc(), RiskAcceptanceRow.id.desc())
                .limit(limit)
            )
            for row in s.execute(accepted).all():
                add(
                    row,
                    "risk_accepted",
                    row.owner,
                    row.reason,
                    row.at,
                    f"{row.state}, until {row.expires}",
                )
            verdicts = (
                select(*cols, LedgerEventRow.payload, LedgerEventRow.at)
                .join(FindingRow, FindingRow.id == LedgerEventRow.subject)
                .where(LedgerEventRow.kind == "ai.triage", match)
                .order_by(other, LedgerEventRow.seq.desc())
                .limit(limit)
            )
            for row in s.execute(verdicts).all():
                try:
                    p = json.loads(row.payload)
                except ValueError:
                    p = None
                p = p if isinstance(p, dict) else {}
                add(
                    row,
                    "ai.triage",
                    f"model {p.get('model', '?')}",
                    str(p.get("reasoning", "")),
                    row.at,
                    f"verdict {p.get('verdict', '?')}, exploitability "
                    f"{p.get('exploitability', '?')}, confidence {p.get('confidence', '?')}, "
                    f"policy: {p.get('action', '?')}",
                )
        out.sort(key=lambda d: d.at, reverse=True)
        out.sort(key=lambda d: d.fingerprint != fingerprint)  # stable: keeps recency within
        return out[:limit]


# --- opening -------------------------------------------------------------------------------
def _parse_url(url: str) -> URL:
    try:
        return make_url(url)
    except ArgumentError as e:
        # The text may hold a password we could not parse out: show only the scheme.
        scheme = url.split(":", 1)[0] if ":" in url else "?"
        raise StoreError(
            f"invalid database URL (scheme {scheme!r})",
            hint="use sqlite:///path/to/mamori.db or postgresql+psycopg://user@host/db",
        ) from e


def _sqlite_path(url: URL) -> Path | None:
    database = url.database
    if not database or database == ":memory:" or url.query.get("uri"):
        return None
    return Path(database)


def _check_sqlite_file(url: URL, shown: str) -> None:
    """Refuse, without modifying it, anything at the path that is not a Mamori database."""
    path = _sqlite_path(url)
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise StoreError(
            f"cannot create the directory {path.parent} for the database {shown}: "
            f"{e.strerror or e}",
            hint="check the path and its permissions, or choose another database URL",
        ) from e
    if not path.exists():
        return
    if not path.is_file():
        raise StoreError(
            f"the database path of {shown} is not a regular file",
            hint="move it away or choose another database URL",
        )
    try:
        with path.open("rb") as fh:
            header = fh.read(len(SQLITE_HEADER))
    except OSError as e:
        raise StoreError(
            f"cannot read the database {shown}: {e.strerror or e}",
            hint="check the file's permissions",
        ) from e
    if not header:
        return  # SQLite treats an empty file as an empty database
    if header != SQLITE_HEADER:
        raise StoreError(
            f"{shown} is not a SQLite database (Mamori did not modify it)",
            hint="move the file away or choose another database URL",
        )
    try:
        # Read-only, through the URI form: opening must not create or change anything.
        conn = sqlite3.connect(f"file:{quote(str(path.resolve()))}?mode=ro", uri=True)
        try:
            names = {
                name
                for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            }
        finally:
            conn.close()
    except sqlite3.Error as e:
        raise StoreError(
            f"cannot read the database {shown}: {e} (Mamori did not modify it)",
            hint="the file may be corrupt; restore it from a backup or move it away",
        ) from e
    if names and "alembic_version" not in names:
        listed = ", ".join(sorted(names)[:5])
        raise StoreError(
            f"{shown} is a SQLite database but not a Mamori one (it has tables {listed}); "
            "Mamori did not modify it",
            hint="choose another database URL",
        )


def _create_engine(url: URL) -> Engine:
    if url.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_S})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control away from the sqlite3 module (its legacy mode neither BEGINs
        # before SELECTs nor lets us choose BEGIN IMMEDIATE); _on_begin emits BEGIN instead.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_S * 1000}")
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.execute("PRAGMA journal_mode = WAL")
            # Full durability: a committed ledger event must survive a power cut as well.
            cursor.execute("PRAGMA synchronous = FULL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        mode = conn.get_execution_options().get(_BEGIN_OPTION, "DEFERRED")
        conn.exec_driver_sql("BEGIN IMMEDIATE" if mode == "IMMEDIATE" else "BEGIN DEFERRED")

    return engine


def _alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def _migrate(engine: Engine, shown: str) -> None:
    config = _alembic_config()
    try:
        script = ScriptDirectory.from_config(config)
        head = script.get_current_head()
        with engine.connect() as conn:
            conn.execution_options(**{_BEGIN_OPTION: "IMMEDIATE"})
            with conn.begin():
                if conn.dialect.name == "postgresql":
                    conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_PG_MIGRATION_LOCK})")
                current = MigrationContext.configure(conn).get_current_heads()
                for revision in current:
                    try:
                        script.get_revision(revision)
                    except (RevisionError, CommandError) as e:
                        raise StoreError(
                            f"the database {shown} has schema revision {revision!r}, which this "
                            f"version of Mamori does not know (it knows up to {head!r}); "
                            "Mamori did not modify it",
                            hint="upgrade Mamori, or use another database for this version",
                        ) from e
                if tuple(current) != (head,):
                    config.attributes["connection"] = conn
                    command.upgrade(config, "head")
    except SQLAlchemyError as e:
        detail = str(e.orig) if isinstance(e, DBAPIError) else str(e)
        detail = detail.strip().splitlines()[0] if detail.strip() else type(e).__name__
        raise StoreError(
            f"cannot open or migrate the database {shown}: {detail}",
            hint="check that the database exists and is reachable and writable, "
            "and that the file is not corrupt",
        ) from e
    except (CommandError, RevisionError) as e:
        raise StoreError(
            f"cannot migrate the database {shown}: {e}",
            hint="the installed migrations may be incomplete; reinstall Mamori",
        ) from e


# --- queries -------------------------------------------------------------------------------
def _get_exact(s: Session, model: type[_R], key: str, what: str) -> _R:
    row = s.get(model, key)
    if row is None:
        raise NotFoundError(f"no {what} with id {key!r}")
    return row


def _resolve(
    s: Session, model: type[_R], column: InstrumentedAttribute[str], prefix: str, what: str
) -> _R:
    """The row whose id is ``prefix`` or starts with it; NotFoundError if none or several."""
    if not prefix:
        raise NotFoundError(f"no {what} id given")
    row = s.get(model, prefix)
    if row is not None:
        return row
    # substr, not LIKE: LIKE is case-insensitive on SQLite and treats _ and % specially.
    matches = list(
        s.scalars(
            select(model)
            .where(func.substr(column, 1, len(prefix)) == prefix)
            .order_by(column)
            .limit(11)
        ).all()
    )
    if not matches:
        raise NotFoundError(f"no {what} with id {prefix!r}")
    if len(matches) > 1:
        ids = [str(getattr(m, column.key)) for m in matches[:10]]
        more = ", ..." if len(matches) > 10 else ""
        raise NotFoundError(
            f"{what} id {prefix!r} is ambiguous: it matches {', '.join(ids)}{more}",
            hint="give more characters of the id",
        )
    return matches[0]


def _rows_by_ids(
    s: Session, model: type[_R], column: InstrumentedAttribute[str], ids: Iterable[str]
) -> list[_R]:
    keys = list(ids)
    rows: list[_R] = []
    for i in range(0, len(keys), _ID_CHUNK):
        rows.extend(s.scalars(select(model).where(column.in_(keys[i : i + _ID_CHUNK]))).all())
    return rows


# --- row <-> value -------------------------------------------------------------------------
_E = TypeVar("_E")


def _enum(cls: type[_E], value: str, what: str) -> _E:
    try:
        return cls(value)  # type: ignore[call-arg]
    except ValueError as e:
        raise StoreError(
            f"stored {what} {value!r} is not a valid {getattr(cls, '__name__', cls)}"
        ) from e


def _json_object(data: Mapping[str, Any]) -> dict[str, Any]:
    try:
        result = to_jsonable(dict(data))
    except TypeError as e:
        raise StoreError(f"cannot store a value as JSON: {e}") from e
    assert isinstance(result, dict)
    return result


def _decode(cls: Any, data: Any, what: str) -> Any:
    try:
        return from_jsonable(cls, data)
    except SerializeError as e:
        raise StoreError(
            f"stored {what} cannot be read: {e.message}",
            hint="the database was changed outside Mamori or by an incompatible version",
        ) from e


def _run_record(row: RunRow) -> RunRecord:
    return RunRecord(
        id=RunId(row.id),
        repo=row.repo,
        actor=row.actor,
        started_at=row.started_at,
        finished_at=row.finished_at,
        head_commit=row.head_commit,
        branch=row.branch,
        status=row.status,
        summary=dict(row.summary),
    )


def _fill_finding(row: FindingRow, f: Finding) -> None:
    row.rule_id = f.rule_id
    row.cwe = f.cwe
    row.message = f.message
    row.path = f.location.path
    row.start_line = f.location.start_line
    row.end_line = f.location.end_line
    row.start_col = f.location.start_col
    row.end_col = f.location.end_col
    row.snippet = f.snippet
    row.severity = f.severity.value
    row.confidence = f.confidence.value
    row.sources = to_jsonable(f.sources)
    row.scope = f.scope
    row.status = f.status.value
    row.delta = f.delta.value
    row.suppression = to_jsonable(f.suppression)
    row.flow = to_jsonable(f.flow)
    row.dependency = to_jsonable(f.dependency)
    row.risk_score = f.risk_score
    row.risk_reasons = list(f.risk_reasons)
    row.priority = to_jsonable(f.priority)


def _finding(row: FindingRow) -> Finding:
    what = f"finding {row.id}"
    return Finding(
        id=FindingId(row.id),
        fingerprint=Fingerprint(row.fingerprint),
        rule_id=RuleId(row.rule_id),
        cwe=row.cwe,
        message=row.message,
        location=Location(
            path=row.path,
            start_line=row.start_line,
            end_line=row.end_line,
            start_col=row.start_col,
            end_col=row.end_col,
        ),
        snippet=row.snippet,
        severity=_decode(Severity, row.severity, what),
        confidence=_decode(Confidence, row.confidence, what),
        sources=_decode(tuple[Source, ...], row.sources, what),
        scope=row.scope,
        status=_decode(FindingStatus, row.status, what),
        delta=_decode(Delta, row.delta, what),
        suppression=None
        if row.suppression is None
        else _decode(Suppression, row.suppression, what),
        flow=_decode(tuple[FlowStep, ...], row.flow, what),
        dependency=None if row.dependency is None else _decode(DependencyRef, row.dependency, what),
        risk_score=row.risk_score,
        risk_reasons=_decode(tuple[str, ...], row.risk_reasons, what),
        first_seen_run=None if row.first_seen_run is None else RunId(row.first_seen_run),
        last_seen_run=None if row.last_seen_run is None else RunId(row.last_seen_run),
        priority=None if row.priority is None else _decode(Priority, row.priority, what),
    )


def _patch(row: PatchRow) -> Patch:
    data = {
        "id": row.id,
        "finding_id": row.finding_id,
        "fixer_id": row.fixer_id,
        "strategy": row.strategy,
        "risk": row.risk,
        "risk_reason": row.risk_reason,
        "description": row.description,
        "diff": row.diff,
        "files": row.files,
        "requested_by": row.requested_by,
    }
    patch: Patch = _decode(Patch, data, f"patch {row.id}")
    return patch


def _patch_records(s: Session, rows: Sequence[PatchRow]) -> list[PatchRecord]:
    ids = [r.id for r in rows]
    verifications = {
        v.patch_id: v for v in _rows_by_ids(s, VerificationRow, VerificationRow.patch_id, ids)
    }
    decisions = {d.patch_id: d for d in _rows_by_ids(s, DecisionRow, DecisionRow.patch_id, ids)}
    deliveries = {d.patch_id: d for d in _rows_by_ids(s, DeliveryRow, DeliveryRow.patch_id, ids)}
    reviews: dict[str, list[Review]] = {}
    for r in sorted(_rows_by_ids(s, ReviewRow, ReviewRow.patch_id, ids), key=lambda r: r.id):
        reviews.setdefault(r.patch_id, []).append(
            _decode(
                Review,
                {
                    "patch_id": r.patch_id,
                    "reviewer": r.reviewer,
                    "verdict": r.verdict,
                    "reason": r.reason,
                },
                f"review of patch {r.patch_id}",
            )
        )
    records = []
    for row in rows:
        what = f"patch {row.id}"
        v = verifications.get(row.id)
        d = decisions.get(row.id)
        dl = deliveries.get(row.id)
        records.append(
            PatchRecord(
                patch=_patch(row),
                run_id=RunId(row.run_id),
                state=_decode(PatchState, row.state, what),
                verification=None
                if v is None
                else _decode(
                    Verification,
                    {
                        "patch_id": v.patch_id,
                        "status": v.status,
                        "checks": v.checks,
                        "tests_before": v.tests_before,
                        "tests_after": v.tests_after,
                        "environment": v.environment,
                    },
                    f"verification of {what}",
                ),
                decision=None
                if d is None
                else _decode(
                    Decision,
                    {
                        "patch_id": d.patch_id,
                        "outcome": d.outcome,
                        "rule": d.rule,
                        "reasons": d.reasons,
                    },
                    f"decision on {what}",
                ),
                reviews=tuple(reviews.get(row.id, ())),
                delivery=None
                if dl is None
                else Delivery(patch_id=PatchId(dl.patch_id), branch=dl.branch, commit=dl.commit),
                rollback_commit=None if dl is None else dl.rollback_commit,
            )
        )
    return records


@dataclass(frozen=True, slots=True)
class _PendingHead:
    """The ledger head inside a transaction that holds the ledger lock."""

    seq: int
    hash: str
    dirty: bool  # events were appended: write it to ledger_head before commit


def _prepare_payload(new: NewEvent) -> tuple[NewEvent, str, dict[str, Any]]:
    """(the event, its payload's canonical JSON text, the payload as stored) or raise."""
    try:
        body = to_jsonable(dict(new.payload or {}))
    except TypeError as e:
        raise LedgerPayloadError(f"ledger payload for {new.kind!r}: {e}") from e
    text = canonical_json(body).decode("utf-8")
    stored: dict[str, Any] = json.loads(text)
    # The Merkle leaf is RFC 8785 JSON, stricter than the chain's (integers within 2^53):
    # refuse now what could not be hashed into the tree later. Only a run of 16 digits can be
    # such an integer, so the full check runs only then (appends are hot).
    if _LONG_DIGITS.search(text):
        entry_bytes({"payload": stored})
    return new, text, stored


def _event(row: Any) -> LedgerEvent:
    # row: a ledger_events row (ORM object or Core row; same attribute names)
    payload: Any
    try:
        payload = json.loads(row.payload)
    except ValueError:
        payload = None
    # Whether the text is exactly the canonical JSON that was hashed is checked by the
    # verifier (mamori.ledger.verify), which encodes the event anyway: see payload_json.
    readable = isinstance(payload, dict)
    event = LedgerEvent(
        seq=row.seq,
        at=row.at,
        kind=row.kind,
        actor=row.actor,
        run_id=row.run_id,
        subject=row.subject,
        payload=payload if readable else {UNREADABLE_PAYLOAD_KEY: row.payload},
        prev_hash=row.prev_hash,
        hash=row.hash,
    )
    if readable:
        object.__setattr__(event, "payload_json", row.payload)
    return event


def _checkpoint(row: LedgerCheckpointRow) -> CheckpointRecord:
    return CheckpointRecord(
        id=row.id,
        tree_size=row.tree_size,
        root_hash=row.root_hash,
        origin=row.origin,
        at=row.at,
        key_id=row.key_id,
        note=row.note,
    )


def _attestation(row: LedgerAttestationRow) -> AttestationRecord:
    return AttestationRecord(
        id=row.id,
        patch_id=row.patch_id,
        run_id=row.run_id,
        subject_sha256=row.subject_sha256,
        commit=row.commit,
        at=row.at,
        envelope=row.envelope,
    )


def _instant(text: str) -> datetime:
    value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _acceptance(row: RiskAcceptanceRow) -> RiskAcceptance:
    return RiskAcceptance(
        id=row.id,
        finding_id=FindingId(row.finding_id),
        owner=row.owner,
        reason=row.reason,
        expires=row.expires,
        actor=row.actor,
        at=row.at,
        state=row.state,
        ended_at=row.ended_at,
    )


def _disclosure(row: DisclosureCaseRow) -> DisclosureCase:
    what = f"disclosure case {row.id}"
    return DisclosureCase(
        id=row.id,
        repo=row.repo,
        title=row.title,
        vendor=row.vendor,
        contact=row.contact,
        state=_decode(DisclosureState, row.state, what),
        history=_decode(tuple[DisclosureStep, ...], row.history, what),
        created_at=row.created_at,
        finding_id=None if row.finding_id is None else FindingId(row.finding_id),
        embargo=row.embargo,
    )
