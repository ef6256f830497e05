"""Tampering with a stored ledger through raw SQL: every edit is found and the event named.

On SQLite every character of every column of every row is changed, one at a time; on
PostgreSQL the first, a middle and the last character of each (the code path is the same, the
round trips are slower).
"""

from __future__ import annotations

import string
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Connection, text

from mamori.ledger.verify import LedgerReport, verify_ledger
from mamori.store.sql import SqlStore

TEXT_COLUMNS = ("at", "kind", "actor", "run_id", "subject", "payload", "prev_hash", "hash")
ALL_COLUMNS = ("seq", *TEXT_COLUMNS)


@pytest.fixture
def ledger(store: SqlStore) -> SqlStore:
    run = store.begin_run(repo="/repo", actor="alice", head_commit="c" * 40, options={})
    store.record("run.started", actor="alice", run_id=run.id, subject=run.id)
    store.record(
        "scan.completed",
        actor="bandit",
        run_id=run.id,
        subject="F-0123456789",
        payload={"findings": 3, "ratio": 1e-07, "big": 1e20, "names": ["é", "日本", "a\x1fb"]},
    )
    with store.transaction():
        store.record("patch.proposed", actor="mamori:fix/sql", run_id=run.id, subject="P-1a2b")
        store.record(
            "patch.verified",
            actor="verifier",
            run_id=run.id,
            subject="P-1a2b",
            payload={"status": "verified", "checks": {"parses": "passed"}, "nested": [None, True]},
        )
    store.record("review.approved", actor="bob", subject="P-1a2b", payload={"reason": "ok"})
    return store


def check(store: SqlStore) -> LedgerReport:
    return verify_ledger(store.events(), store.ledger_head())


@pytest.fixture
def raw(ledger: SqlStore) -> Iterator[Connection]:
    with ledger.engine.connect() as conn:
        yield conn


def rows(conn: Connection) -> list[dict[str, Any]]:
    result = conn.execute(text("SELECT * FROM ledger_events ORDER BY seq"))
    out = [dict(r._mapping) for r in result]
    conn.commit()
    return out


def set_column(conn: Connection, seq: int, column: str, value: Any) -> None:
    conn.execute(
        text(f"UPDATE ledger_events SET {column} = :v WHERE seq = :seq"), {"v": value, "seq": seq}
    )
    conn.commit()


def mutate_char(value: str, i: int) -> str:
    c = value[i]
    if c in string.hexdigits:
        replacement = "0" if c != "0" else "1"
    elif c == "Z":
        replacement = "z"
    else:
        replacement = chr(ord(c) ^ 1)
    return value[:i] + replacement + value[i + 1 :]


def positions(value: str, exhaustive: bool) -> list[int]:
    if exhaustive:
        return list(range(len(value)))
    return sorted({0, len(value) // 2, len(value) - 1})


def assert_names(report: LedgerReport, row: dict[str, Any], what: str) -> None:
    assert not report.ok, f"undetected: {what}"
    assert report.problem is not None
    named = report.problem.seq == row["seq"] or (
        report.problem.subject == row["subject"] and report.problem.kind == row["kind"]
    )
    assert named, f"{what}: reported {report.problem.reason!r}"


def test_intact_ledger_verifies(ledger: SqlStore) -> None:
    report = check(ledger)
    assert report.ok, report.problem
    assert report.events_checked == 5
    assert ledger.ledger_head() == (5, list(ledger.events())[-1].hash)


def test_every_character_of_every_column(ledger: SqlStore, raw: Connection, store_url: str) -> None:
    exhaustive = store_url.startswith("sqlite")
    original = rows(raw)
    tried = 0
    for row in original:
        for column in TEXT_COLUMNS:
            value = row[column]
            candidates: list[Any]
            if value is None:
                candidates = ["", "x"]
            else:
                candidates = [mutate_char(value, i) for i in positions(value, exhaustive)]
                if column == "run_id":
                    candidates.append(None)
            for changed in candidates:
                assert changed != value
                set_column(raw, row["seq"], column, changed)
                assert_names(check(ledger), row, f"event {row['seq']} {column}={changed!r}")
                tried += 1
            set_column(raw, row["seq"], column, value)
    assert rows(raw) == original
    assert check(ledger).ok
    assert tried > (1000 if exhaustive else 100)


@pytest.mark.parametrize("new_seq", [0, -1, 6, 100])
def test_sequence_number_edits(ledger: SqlStore, raw: Connection, new_seq: int) -> None:
    for row in rows(raw):
        if new_seq == row["seq"] or (1 <= new_seq <= 5):
            continue
        set_column(raw, row["seq"], "seq", new_seq)
        assert_names(check(ledger), row, f"seq {row['seq']} -> {new_seq}")
        raw.execute(
            text("UPDATE ledger_events SET seq = :s WHERE seq = :n"),
            {"s": row["seq"], "n": new_seq},
        )
        raw.commit()
    assert check(ledger).ok


@pytest.mark.parametrize(
    "payload",
    [
        # Same JSON value, different bytes: still not what was hashed.
        '{"reason": "ok"}',
        '{"reason":"ok" }',
        '{"reason":"\\u006fk"}',
        '{"reason":"ok","reason":"ok"}',
        "not json",
        "[]",
    ],
)
def test_payload_rewritten_to_equivalent_json(
    ledger: SqlStore, raw: Connection, payload: str
) -> None:
    set_column(raw, 5, "payload", payload)
    report = check(ledger)
    assert report.problem is not None
    assert report.problem.seq == 5
    assert "not the canonical JSON" in report.problem.reason


def test_control_character_escape_case(ledger: SqlStore, raw: Connection) -> None:
    (row,) = [r for r in rows(raw) if r["seq"] == 2]
    assert "\\u001f" in row["payload"]
    set_column(raw, 2, "payload", row["payload"].replace("\\u001f", "\\u001F"))
    report = check(ledger)
    assert report.problem is not None and report.problem.seq == 2


def test_deleted_middle_event(ledger: SqlStore, raw: Connection) -> None:
    raw.execute(text("DELETE FROM ledger_events WHERE seq = 3"))
    raw.commit()
    report = check(ledger)
    assert report.problem is not None
    assert report.problem.seq == 3
    assert (
        report.problem.reason == "event 3: expected sequence 3 but found 4 (an event was removed)"
    )


def test_deleted_last_event(ledger: SqlStore, raw: Connection) -> None:
    raw.execute(text("DELETE FROM ledger_events WHERE seq = 5"))
    raw.commit()
    report = check(ledger)
    assert report.problem is not None
    assert report.problem.reason == (
        "ledger ends at event 4 but the head records 5 (the last event was removed)"
    )


def test_deleted_last_event_and_head_rolled_back(ledger: SqlStore, raw: Connection) -> None:
    # Moving the head back by one is caught: it still records the removed event's hash.
    raw.execute(text("DELETE FROM ledger_events WHERE seq = 5"))
    raw.execute(text("UPDATE ledger_head SET seq = 4"))
    raw.commit()
    report = check(ledger)
    assert report.problem is not None
    assert report.problem.seq == 4


@pytest.mark.parametrize(("a", "b"), [(1, 2), (2, 4), (4, 5)])
def test_swapped_rows(ledger: SqlStore, raw: Connection, a: int, b: int) -> None:
    by_seq = {r["seq"]: r for r in rows(raw)}
    for target, source in ((a, by_seq[b]), (b, by_seq[a])):
        for column in TEXT_COLUMNS:
            set_column(raw, target, column, source[column])
    report = check(ledger)
    assert report.problem is not None
    assert report.problem.seq == a


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("UPDATE ledger_head SET hash = '" + "0" * 64 + "'", "differs from the head"),
        ("UPDATE ledger_head SET seq = 6", "ledger ends at event 5 but the head records 6"),
        ("DELETE FROM ledger_head", "no recorded head"),
    ],
)
def test_head_edits(ledger: SqlStore, raw: Connection, sql: str, expected: str) -> None:
    raw.execute(text(sql))
    raw.commit()
    report = check(ledger)
    assert report.problem is not None
    assert expected in report.problem.reason


def test_appending_after_head_removal_refuses(ledger: SqlStore, raw: Connection) -> None:
    from mamori.errors import LedgerTamperedError

    raw.execute(text("DELETE FROM ledger_head"))
    raw.commit()
    with pytest.raises(LedgerTamperedError):
        ledger.record("x", actor="a")
