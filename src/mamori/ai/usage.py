"""The AI call log: one row per model call, with the request and response bodies.

The rows live in the state database (table ``ai_calls``, migration ``0004_ai_calls``); the ledger
event recorded for each call carries the hashes of the same bodies, so an auditor can check that
the stored bodies are the ones that were sent and received.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from mamori.errors import StoreError
from mamori.store.models import AICallRow

# The table belongs to the store's schema (models + migrations); this module only reads and
# writes it.
ai_calls: sa.Table = AICallRow.__table__  # type: ignore[assignment]


@dataclass(frozen=True, kw_only=True)
class CallRecord:
    at: str
    run_id: str | None
    team: str
    task: str
    subject: str
    backend: str
    model: str
    prompt_version: str
    prompt_sha256: str  # ledger only (see PromptSpec.sha256); the version is in the table
    data_class: str
    outcome: str  # ok, malformed, error, refused, budget, circuit_open
    error: str
    attempt: int
    input_tokens: int
    output_tokens: int
    cost: float
    latency_ms: int
    redactions: int
    request_sha256: str
    response_sha256: str
    request_body: str
    response_body: str

    def ledger_payload(self) -> dict[str, Any]:
        """Everything but the bodies (their hashes are in it)."""
        return {
            k: v
            for k, v in self.__dict__.items()
            if k not in ("request_body", "response_body", "at", "run_id", "subject")
        }


@dataclass(frozen=True, kw_only=True)
class UsageRow:
    team: str
    model: str
    day: str
    calls: int
    input_tokens: int
    output_tokens: int
    cost: float


class CallLog:
    """Reads and writes ``ai_calls`` through the store's SQLAlchemy engine."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def add(self, record: CallRecord) -> None:
        row = dict(record.__dict__)
        del row["prompt_sha256"]
        row["day"] = record.at[:10]
        try:
            with self.engine.begin() as conn:
                conn.execute(ai_calls.insert().values(**row))
        except SQLAlchemyError as e:
            raise StoreError(f"cannot record an AI call: {e}") from e

    def spent(
        self, *, day: str, team: str | None = None, run_id: str | None = None
    ) -> tuple[int, float]:
        """(tokens, cost) spent on ``day`` (by ``team``), or in run ``run_id`` (any day)."""
        q = sa.select(
            sa.func.coalesce(sa.func.sum(ai_calls.c.input_tokens + ai_calls.c.output_tokens), 0),
            sa.func.coalesce(sa.func.sum(ai_calls.c.cost), 0.0),
        )
        if run_id is not None:
            q = q.where(ai_calls.c.run_id == run_id)
        else:
            q = q.where(ai_calls.c.day == day)
            if team is not None:
                q = q.where(ai_calls.c.team == team)
        try:
            with self.engine.connect() as conn:
                tokens, cost = conn.execute(q).one()
        except SQLAlchemyError as e:
            raise StoreError(f"cannot read AI usage: {e}") from e
        return int(tokens), float(cost)

    def usage(self, *, since: str | None = None) -> list[UsageRow]:
        """Spend grouped by team, model and day (newest day first)."""
        c = ai_calls.c
        q = (
            sa.select(
                c.team,
                c.model,
                c.day,
                sa.func.count(),
                sa.func.sum(c.input_tokens),
                sa.func.sum(c.output_tokens),
                sa.func.sum(c.cost),
            )
            .group_by(c.team, c.model, c.day)
            .order_by(c.day.desc(), c.team, c.model)
        )
        if since is not None:
            q = q.where(c.day >= since)
        try:
            with self.engine.connect() as conn:
                rows = conn.execute(q).all()
        except SQLAlchemyError as e:
            raise StoreError(f"cannot read AI usage: {e}") from e
        return [
            UsageRow(
                team=r[0],
                model=r[1],
                day=r[2],
                calls=int(r[3]),
                input_tokens=int(r[4] or 0),
                output_tokens=int(r[5] or 0),
                cost=float(r[6] or 0.0),
            )
            for r in rows
        ]

    def answered(self, task: str) -> set[str]:
        """Subjects (finding ids, paths) that ``task`` already has a valid answer for."""
        q = sa.select(ai_calls.c.subject).where(ai_calls.c.task == task, ai_calls.c.outcome == "ok")
        try:
            with self.engine.connect() as conn:
                return {r[0] for r in conn.execute(q)}
        except SQLAlchemyError as e:
            raise StoreError(f"cannot read AI calls: {e}") from e

    def calls(self, *, run_id: str | None = None) -> list[Mapping[str, Any]]:
        q = sa.select(ai_calls).order_by(ai_calls.c.id)
        if run_id is not None:
            q = q.where(ai_calls.c.run_id == run_id)
        try:
            with self.engine.connect() as conn:
                return [dict(r._mapping) for r in conn.execute(q)]
        except SQLAlchemyError as e:
            raise StoreError(f"cannot read AI calls: {e}") from e


def utc_now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def call_log(store: object) -> CallLog:
    """The call log of a SQL store (the only kind Mamori ships)."""
    engine = getattr(store, "engine", None)
    if not isinstance(engine, Engine):
        raise StoreError("this store keeps no AI call log (it is not a SQL store)")
    return CallLog(engine)
