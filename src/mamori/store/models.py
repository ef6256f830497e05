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
    priority: Mapped[dict[str, Any] | None] = mapped_column(JSON)


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


class LedgerCheckpointRow(Base):
    __tablename__ = "ledger_checkpoints"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    tree_size: Mapped[int] = mapped_column(Integer)
    root_hash: Mapped[str] = mapped_column(String(HASH_LEN))
    origin: Mapped[str] = mapped_column(Text)
    at: Mapped[str] = mapped_column(String(TIME_LEN))
    key_id: Mapped[str] = mapped_column(String(8))
    # The signed note exactly as signed (the columns above are for queries only).
    note: Mapped[str] = mapped_column(Text)
    # The tree's compact range at tree_size (hex subtree hashes, largest first): the next
    # checkpoint starts from it instead of rehashing the whole log. Checked against the signed
    # root before use. NULL for checkpoints written before migration 0005.
    frontier: Mapped[str | None] = mapped_column(Text, nullable=True)


class LedgerAttestationRow(Base):
    __tablename__ = "ledger_attestations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    patch_id: Mapped[str] = mapped_column(Text, index=True)
    run_id: Mapped[str | None] = mapped_column(Text, index=True)
    subject_sha256: Mapped[str] = mapped_column(String(HASH_LEN))
    commit: Mapped[str] = mapped_column(String(HASH_LEN))
    at: Mapped[str] = mapped_column(String(TIME_LEN))
    envelope: Mapped[str] = mapped_column(Text)


class CvssOverrideRow(Base):
    """CVSS vectors set by triage for one finding (either may be NULL: keep the default)."""

    __tablename__ = "cvss_overrides"

    finding_id: Mapped[str] = mapped_column(ForeignKey("findings.id"), primary_key=True)
    v3: Mapped[str | None] = mapped_column(Text)
    v4: Mapped[str | None] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    at: Mapped[str] = mapped_column(String(TIME_LEN))


class RiskAcceptanceRow(Base):
    __tablename__ = "risk_acceptances"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    finding_id: Mapped[str] = mapped_column(ForeignKey("findings.id"), index=True)
    owner: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    expires: Mapped[str] = mapped_column(String(TIME_LEN))
    actor: Mapped[str] = mapped_column(Text)
    at: Mapped[str] = mapped_column(String(TIME_LEN))
    state: Mapped[str] = mapped_column(String(ENUM_LEN))  # active, expired, revoked
    ended_at: Mapped[str | None] = mapped_column(String(TIME_LEN))


class DisclosureCaseRow(Base):
    __tablename__ = "disclosure_cases"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    finding_id: Mapped[str | None] = mapped_column(ForeignKey("findings.id"))
    repo: Mapped[str] = mapped_column(Text, index=True)
    title: Mapped[str] = mapped_column(Text)
    vendor: Mapped[str] = mapped_column(Text)
    contact: Mapped[str] = mapped_column(Text)
    embargo: Mapped[str | None] = mapped_column(String(TIME_LEN))
    state: Mapped[str] = mapped_column(String(ENUM_LEN))
    history: Mapped[list[Any]] = mapped_column(JSON)  # [{"state": ..., "at": ..., "note": ...}]
    created_at: Mapped[str] = mapped_column(String(TIME_LEN))


class AICallRow(Base):
    """One model call (see :mod:`mamori.ai.usage`; migration ``0004_ai_calls``)."""

    __tablename__ = "ai_calls"
    __table_args__ = (Index("ix_ai_calls_day_team", "day", "team"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[str] = mapped_column(String(TIME_LEN))
    day: Mapped[str] = mapped_column(String(10))
    run_id: Mapped[str | None] = mapped_column(String(64), index=True)
    team: Mapped[str] = mapped_column(Text)
    task: Mapped[str] = mapped_column(String(ENUM_LEN))
    subject: Mapped[str] = mapped_column(Text)
    backend: Mapped[str] = mapped_column(Text)
    model: Mapped[str] = mapped_column(Text)
    prompt_version: Mapped[str] = mapped_column(String(64))
    data_class: Mapped[str] = mapped_column(String(16))
    outcome: Mapped[str] = mapped_column(String(ENUM_LEN))
    error: Mapped[str] = mapped_column(Text)
    attempt: Mapped[int] = mapped_column(Integer)
    input_tokens: Mapped[int] = mapped_column(Integer)
    output_tokens: Mapped[int] = mapped_column(Integer)
    cost: Mapped[float] = mapped_column(Float)
    latency_ms: Mapped[int] = mapped_column(Integer)
    redactions: Mapped[int] = mapped_column(Integer)
    request_sha256: Mapped[str] = mapped_column(String(HASH_LEN))
    response_sha256: Mapped[str] = mapped_column(String(HASH_LEN))
    request_body: Mapped[str] = mapped_column(Text)
    response_body: Mapped[str] = mapped_column(Text)
