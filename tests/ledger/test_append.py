"""Appends: O(1) per event however long the transaction, atomic, and savepoint-aware."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import event, text

from mamori.ledger.verify import verify_ledger
from mamori.store.interface import NewEvent
from mamori.store.sql import SqlStore


def head_row(store: SqlStore) -> tuple[int, str]:
    with store.engine.connect() as conn:
        seq, digest = conn.execute(text("SELECT seq, hash FROM ledger_head WHERE id = 1")).one()
    return int(seq), str(digest)


def test_a_long_transaction_reads_and_writes_the_head_once(store: SqlStore) -> None:
    """Every statement the driver runs, counted (SQLite's trace hook sees the raw cursor's
    statements too): per event one INSERT, per transaction one head read and one head write."""
    if store.engine.dialect.name != "sqlite":
        pytest.skip("statement tracing uses sqlite3's trace callback")
    statements: list[str] = []

    @event.listens_for(store.engine, "connect")
    def trace(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.set_trace_callback(statements.append)

    store.engine.dispose()  # new connections get the callback
    with store.transaction():
        for i in range(200):
            store.record("tick", actor="a", payload={"i": i})
        store.record_many([NewEvent(kind="tock", actor="a") for _ in range(50)])

    def count(prefix: str) -> int:
        return sum(1 for s in statements if s.lstrip().upper().startswith(prefix))

    assert count("INSERT INTO LEDGER_EVENTS") == 250
    assert count("SELECT SEQ, HASH FROM LEDGER_HEAD") == 1
    assert count("UPDATE LEDGER_HEAD") == 1
    events = list(store.events())
    assert head_row(store) == (250, events[-1].hash)
    assert verify_ledger(events, store.ledger_head()).ok


def test_head_inside_a_transaction_and_after_a_rolled_back_block(store: SqlStore) -> None:
    with store.transaction():
        first = store.record("a", actor="x")
        assert store.ledger_head() == (1, first.hash)  # before the head row is written
        with pytest.raises(RuntimeError), store.transaction():
            store.record("undone", actor="x")
            store.record_many([NewEvent(kind="undone", actor="x") for _ in range(3)])
            raise RuntimeError
        assert store.ledger_head() == (1, first.hash)
        second = store.record("b", actor="x")
    assert (second.seq, second.prev_hash) == (2, first.hash)
    assert [e.kind for e in store.events()] == ["a", "b"]
    assert head_row(store) == (2, second.hash) == store.ledger_head()
    with pytest.raises(RuntimeError), store.transaction():
        store.record("all undone", actor="x")
        raise RuntimeError
    assert head_row(store) == (2, second.hash)
    assert verify_ledger(store.events(), store.ledger_head()).ok


def test_a_refused_batch_leaves_the_transaction_usable(store: SqlStore) -> None:
    from mamori.ledger.chain import LedgerPayloadError

    with store.transaction():
        store.record("a", actor="x")
        with pytest.raises(LedgerPayloadError):
            store.record_many(
                [
                    NewEvent(kind="ok", actor="x"),
                    NewEvent(kind="bad", actor="x", payload={"n": 2**60}),
                ]
            )
        store.record("b", actor="x")
    assert [e.seq for e in store.events()] == [1, 2]
    assert verify_ledger(store.events(), store.ledger_head()).ok
