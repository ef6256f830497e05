"""SQLAlchemy ORM models of the state store.

The schema is created and evolved only by the Alembic migrations in
``mamori/store/migrations/versions``; a test checks that these models and the migrations agree.
Timestamps are ISO 8601 UTC text (they travel as text in the domain values); enums are stored by
value in short strings rather than native enum types, so that adding a member needs no
migration. Structured values are JSON produced by :func:`mamori.serialize.to_jsonable`.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Deterministic constraint names, so that migrations can refer to them on every backend.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

ENUM_LEN = 32
TIME_LEN = 40
HASH_LEN = 64


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class RunRow(Base):
    __tablename__ = "runs"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    repo: Mapped[str] = mapped_column(Text, index=True)
    actor: Mapped[str] = mapped_column(Text)
    started_at: Mapped[str] = mapped_column(String(TIME_LEN))
    finished_at: Mapped[str | None] = mapped_column(String(TIME_LEN))
    head_commit: Mapped[str | None] = mapped_column(String(HASH_LEN))
    branch: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(ENUM_LEN))
    options: Mapped[dict[str, Any]] = mapped_column(JSON)
    summary: Mapped[dict[str, Any]] = mapped_column(JSON)


class FindingRow(Base):
    __tablename__ = "findings"
    __table_args__ = (
        UniqueConstraint("repo", "fingerprint", name="uq_findings_repo_fingerprint"),
        Index("ix_findings_repo_status", "repo", "status"),
    )

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    repo: Mapped[str] = mapped_column(Text)
    fingerprint: Mapped[str] = mapped_column(String(HASH_LEN))
    rule_id: Mapped[str] = mapped_column(Text)
    cwe: Mapped[int] = mapped_column(Integer)
    message: Mapped[str] = mapped_column(Text)
    path: Mapped[str] = mapped_column(Text)
    start_line: Mapped[int] = mapped_column(Integer)
    end_line: Mapped[int | None] = mapped_column(Integer)
    start_col: Mapped[int | None] = mapped_column(Integer)
    end_col: Mapped[int | None] = mapped_column(Integer)
    snippet: Mapped[str] = mapped_column(Text)
    severity: Mapped[str] = mapped_column(String(ENUM_LEN))
    confidence: Mapped[str] = mapped_column(String(ENUM_LEN))
    sources: Mapped[list[Any]] = mapped_column(JSON)
    scope: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(ENUM_LEN))
    delta: Mapped[str] = mapped_column(String(ENUM_LEN))
    suppression: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    flow: Mapped[list[Any]] = mapped_column(JSON)
    dependency: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    risk_score: Mapped[float] = mapped_column(Float)
    risk_reasons: Mapped[list[Any]] = mapped_column(JSON)
    first_seen_run: Mapped[str | None] = mapped_column(ForeignKey("runs.id"))
    last_seen_run: Mapped[str | None] = mapped_column(ForeignKey("runs.id"))


class RunFindingRow(Base):
    __tablename__ = "run_findings"

    run_id: Mapped[str] = mapped_column(ForeignKey("runs.id"), primary_key=True)
    finding_id: Mapped[str] = mapped_column(ForeignKey("findings.id"), primary_key=True)
    delta: Mapped[str] = mapped_column(String(ENUM_LEN))


class NotAnalysedRow(Base):
    __tablename__ = "not_analysed"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    run_id: Mapped[str] = mapped_column(ForeignKey("runs.id"), index=True)
    path: Mapped[str] = mapped_column(Text)
    engine: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)


class PatchRow(Base):
    __tablename__ = "patches"

    id: Mapped[str] = mapped_column(String(128), primary_key=True)
    run_id: Mapped[str] = mapped_column(ForeignKey("runs.id"), index=True)
    finding_id: Mapped[str] = mapped_column(ForeignKey("findings.id"), index=True)
    fixer_id: Mapped[str] = mapped_column(Text)
    strategy: Mapped[str] = mapped_column(String(ENUM_LEN))
    risk: Mapped[str] = mapped_column(String(ENUM_LEN))
    risk_reason: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text)
    diff: Mapped[str] = mapped_column(Text)
    files: Mapped[list[Any]] = mapped_column(JSON)
    requested_by: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(ENUM_LEN))
    created_at: Mapped[str] = mapped_column(String(TIME_LEN))
    updated_at: Mapped[str] = mapped_column(String(TIME_LEN))


class VerificationRow(Base):
    __tablename__ = "verifications"

    patch_id: Mapped[str] = mapped_column(ForeignKey("patches.id"), primary_key=True)
    status: Mapped[str] = mapped_column(String(ENUM_LEN))
    checks: Mapped[list[Any]] = mapped_column(JSON)
    tests_before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    tests_after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    environment: Mapped[str] = mapped_column(Text)
    at: Mapped[str] = mapped_column(String(TIME_LEN))


class DecisionRow(Base):
    __tablename__ = "decisions"

    patch_id: Mapped[str] = mapped_column(ForeignKey("patches.id"), primary_key=True)
    outcome: Mapped[str] = mapped_column(String(ENUM_LEN))
    rule: Mapped[str] = mapped_column(Text)
    reasons: Mapped[list[Any]] = mapped_column(JSON)
    at: Mapped[str] = mapped_column(String(TIME_LEN))


class ReviewRow(Base):
    __tablename__ = "reviews"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    patch_id: Mapped[str] = mapped_column(ForeignKey("patches.id"), index=True)
    reviewer: Mapped[str] = mapped_column(Text)
    verdict: Mapped[str] = mapped_column(String(ENUM_LEN))
    reason: Mapped[str] = mapped_column(Text)
    at: Mapped[str] = mapped_column(String(TIME_LEN))


class DeliveryRow(Base):
    __tablename__ = "deliveries"

    patch_id: Mapped[str] = mapped_column(ForeignKey("patches.id"), primary_key=True)
    branch: Mapped[str] = mapped_column(Text)
    commit: Mapped[str] = mapped_column(String(HASH_LEN))
    at: Mapped[str] = mapped_column(String(TIME_LEN))
    rollback_commit: Mapped[str | None] = mapped_column(String(HASH_LEN))
    rolled_back_at: Mapped[str | None] = mapped_column(String(TIME_LEN))


class LedgerEventRow(Base):
    __tablename__ = "ledger_events"

    # Assigned by the appender (head seq + 1), never by the database: gaps mean removal.
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[str] = mapped_column(String(TIME_LEN))
    kind: Mapped[str] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(Text)
    run_id: Mapped[str | None] = mapped_column(Text, index=True)
    subject: Mapped[str] = mapped_column(Text)
    # Canonical JSON text exactly as hashed (not a JSON column: the bytes must not change).
    payload: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(HASH_LEN))
    hash: Mapped[str] = mapped_column(String(HASH_LEN))


class LedgerHeadRow(Base):
    """A single row (id = 1): the seq and hash of the last appended event.

    It exists from the first migration on, so that appenders on PostgreSQL can lock it
    (``SELECT ... FOR UPDATE``) to serialise appends; seq 0 means an empty ledger.
    """

    __tablename__ = "ledger_head"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(HASH_LEN))
