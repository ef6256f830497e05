"""The store's ledger as a signed Merkle log: checkpoints, proofs, rotation and tampering."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from sqlalchemy import text

from mamori.errors import ConfigError, LedgerTamperedError
from mamori.ledger.chain import GENESIS, event_hash
from mamori.ledger.keys import Ed25519FileSigner
from mamori.ledger.log import event_entry, event_leaf
from mamori.ledger.merkle import leaf_hash, root_hash, verify_consistency, verify_inclusion
from mamori.ledger.note import parse_checkpoint
from mamori.ledger.service import KEY_ROTATED, Ledger
from mamori.ledger.settings import LedgerSettings
from mamori.store.sql import SqlStore
from tests.ledger.conftest import add_run_events


def rehash_chain(store: SqlStore) -> None:
    """What a forger with database access does after an edit: recompute every hash and the head."""
    with store.engine.begin() as conn:
        rows = conn.execute(text("SELECT * FROM ledger_events ORDER BY seq")).mappings().all()
        prev = GENESIS
        for r in rows:
            h = event_hash(
                prev,
                seq=r["seq"],
                at=r["at"],
                kind=r["kind"],
                actor=r["actor"],
                run_id=r["run_id"],
                subject=r["subject"],
                payload=json.loads(r["payload"]),
            )
            conn.execute(
                text("UPDATE ledger_events SET prev_hash = :p, hash = :h WHERE seq = :s"),
                {"p": prev, "h": h, "s": r["seq"]},
            )
            prev = h
        conn.execute(
            text("UPDATE ledger_head SET seq = :s, hash = :h"),
            {"s": rows[-1]["seq"] if rows else 0, "h": prev},
        )


def sql(store: SqlStore, statement: str, **params: object) -> None:
    with store.engine.begin() as conn:
        conn.execute(text(statement), params)


def test_leaf_is_rfc8785_of_the_event(store: SqlStore) -> None:
    add_run_events(store, 2)
    e = list(store.events())[1]
    entry = event_entry(e)
    assert entry.startswith(b'{"actor":"bandit","at":')
    assert b'"ratio":1e-7' in entry  # RFC 8785 number form, not Python's 1e-07
    assert "é".encode() in entry  # UTF-8, not \\u escapes
    assert event_leaf(e) == leaf_hash(entry)


def test_checkpoint_prove_consistency_and_audit(ledger: Ledger, store: SqlStore) -> None:
    add_run_events(store, 5)
    cp1 = ledger.checkpoint()
    assert cp1.tree_size == 6  # 5 events + the key registration
    events = list(store.events())
    assert events[-1].kind == "ledger.key.registered"
    parsed = parse_checkpoint(cp1.note, ledger.public_key())
    assert parsed.root == root_hash([event_leaf(e) for e in events])
    add_run_events(store, 4)
    cp2 = ledger.checkpoint()
    assert cp2.tree_size == 10
    proof = ledger.prove(3)
    verify_inclusion(
        2,
        10,
        bytes.fromhex(proof.leaf_hash),
        [bytes.fromhex(p) for p in proof.path],
        bytes.fromhex(cp2.root_hash),
    )
    c = ledger.consistency("cp:1", f"cp:{cp2.id}")
    verify_consistency(
        6,
        10,
        bytes.fromhex(cp1.root_hash),
        bytes.fromhex(cp2.root_hash),
        [bytes.fromhex(p) for p in c.path],
    )
    assert ledger.consistency("2", "10").old_size == 2
    report = ledger.audit(pinned=ledger.public_key())
    assert report.ok, report.problem
    assert (report.events_checked, report.checkpoints_checked, report.witness_checked) == (
        10,
        2,
        2,
    )


def test_edited_event_is_named(ledger: Ledger, store: SqlStore) -> None:
    add_run_events(store, 5)
    ledger.checkpoint()
    sql(store, "UPDATE ledger_events SET actor = 'mallory' WHERE seq = 3")
    report = ledger.audit()
    assert not report.ok
    assert (
        report.problem == "event 3 (scan.completed, F-1): content does not match its hash (edited)"
    )


def test_history_rewritten_under_a_new_checkpoint_fails_consistency(
    ledger: Ledger, store: SqlStore
) -> None:
    add_run_events(store, 5)
    ledger.checkpoint()
    sql(store, "UPDATE ledger_events SET actor = 'mallory' WHERE seq = 2")
    rehash_chain(store)
    ledger.checkpoint()  # the forger has the key and signs the rewritten tree
    report = ledger.audit()
    assert report.problem is not None
    assert report.problem.startswith("checkpoint 1 (size 6): its root does not match")
    assert "history rewritten" in report.problem


def test_witness_catches_rewrite_even_when_db_checkpoints_are_replaced(
    ledger: Ledger, store: SqlStore
) -> None:
    add_run_events(store, 5)
    ledger.checkpoint()
    sql(store, "UPDATE ledger_events SET subject = 'F-x' WHERE seq = 2")
    rehash_chain(store)
    sql(store, "DELETE FROM ledger_checkpoints")
    ledger.checkpoint()
    report = ledger.audit()
    assert report.problem is not None
    assert report.problem.startswith("witness checkpoint checkpoint-000000000006-")
    assert "for tree size 6 but the local checkpoint" in report.problem
    assert "history rewritten after the witness saw it" in report.problem


def test_truncated_log(ledger: Ledger, store: SqlStore) -> None:
    add_run_events(store, 5)
    ledger.checkpoint()
    sql(store, "DELETE FROM ledger_events WHERE seq >= 5")
    rehash_chain(store)  # head moved back too: the chain alone looks intact
    report = ledger.audit()
    assert report.problem == (
        "checkpoint 1 (size 6): records 6 events but the ledger has 4 (log truncated)"
    )


@pytest.mark.parametrize(("a", "b"), [(2, 3), (1, 5)])
def test_reordered_events_rehashed(ledger: Ledger, store: SqlStore, a: int, b: int) -> None:
    add_run_events(store, 5)
    ledger.checkpoint()
    cols = "at, kind, actor, run_id, subject, payload"
    with store.engine.begin() as conn:
        ra = (
            conn.execute(text(f"SELECT {cols} FROM ledger_events WHERE seq = {a}")).mappings().one()
        )
        rb = (
            conn.execute(text(f"SELECT {cols} FROM ledger_events WHERE seq = {b}")).mappings().one()
        )
        for seq, row in ((a, rb), (b, ra)):
            conn.execute(
                text(
                    "UPDATE ledger_events SET at=:at, kind=:kind, actor=:actor, run_id=:run_id, "
                    "subject=:subject, payload=:payload WHERE seq = :seq"
                ),
                {**row, "seq": seq},
            )
    rehash_chain(store)
    report = ledger.audit()
    assert report.problem is not None and "history rewritten" in report.problem


def test_inserted_event_rehashed(ledger: Ledger, store: SqlStore) -> None:
    add_run_events(store, 5)
    ledger.checkpoint()
    sql(store, "UPDATE ledger_events SET seq = seq + 100 WHERE seq >= 3")
    sql(store, "UPDATE ledger_events SET seq = seq - 99 WHERE seq >= 103")
    sql(
        store,
        "INSERT INTO ledger_events (seq, at, kind, actor, run_id, subject, payload, prev_hash, "
        "hash) VALUES (3, '2026-01-01T00:00:00Z', 'review.approved', 'mallory', NULL, 'P-1', "
        "'{}', '', '')",
    )
    rehash_chain(store)
    report = ledger.audit()
    assert report.problem is not None and report.problem.startswith("checkpoint 1 (size 6)")


def test_forged_checkpoint_signature(ledger: Ledger, store: SqlStore) -> None:
    add_run_events(store, 3)
    cp = ledger.checkpoint()
    body, sig = cp.note.split("\n\n")
    name, blob = sig.strip().rsplit(" ", 1)
    raw = bytearray(base64.b64decode(blob))
    raw[10] ^= 1
    forged = f"{body}\n\n{name} {base64.b64encode(bytes(raw)).decode()}\n"
    sql(store, "UPDATE ledger_checkpoints SET note = :n", n=forged)
    report = ledger.audit()
    assert report.problem is not None
    assert report.problem.startswith("checkpoint 1 (size 4): signature by mamori.test/log")
    assert "forged signature or wrong key" in report.problem


def test_checkpoint_signed_with_the_wrong_key(
    store: SqlStore, settings: LedgerSettings, tmp_path: Path
) -> None:
    add_run_events(store, 3)
    Ledger(store, settings=settings).checkpoint()
    intruder = Ledger(
        store,
        settings=settings,
        signer=Ed25519FileSigner.generate(name=settings.origin),
    )
    with pytest.raises(ConfigError, match="not the ledger's active key"):
        intruder.checkpoint()
    # Inserted directly, bypassing that refusal: the audit names it.
    from mamori.ledger.note import format_checkpoint

    cp = format_checkpoint(
        origin=settings.origin, size=4, root=bytes(32), time="t", signer=intruder.signer
    )
    store.save_checkpoint(
        tree_size=4,
        root_hash=bytes(32).hex(),
        origin=settings.origin,
        at="t",
        key_id="x",
        note=cp.note,
    )
    report = Ledger(store, settings=settings).audit()
    assert report.problem is not None
    assert report.problem.startswith("checkpoint 2 (size 4): signed by mamori.test/log but not")
    # And pinning a key the ledger never used fails at once.
    pinned = Ledger(store, settings=settings).audit(pinned=intruder.public_key())
    assert pinned.problem is not None and "wrong key" in pinned.problem


def test_key_rotation_is_an_endorsed_event(ledger: Ledger, store: SqlStore) -> None:
    add_run_events(store, 3)
    ledger.checkpoint()
    old = ledger.public_key()
    event = ledger.rotate_key()
    assert event.kind == KEY_ROTATED and event.payload["previous"] == old.vkey
    assert ledger.public_key() != old
    retired = list(ledger.settings.key_path.parent.glob("*.retired"))
    assert len(retired) == 1
    ledger.checkpoint()
    report = ledger.audit(pinned=old)
    assert report.ok, report.problem
    assert len(report.keys) == 2
    # Reloading from the key file gives the new key.
    assert Ledger(store, settings=ledger.settings).public_key() == ledger.public_key()


def test_forged_rotation_is_named(ledger: Ledger, store: SqlStore) -> None:
    add_run_events(store, 2)
    ledger.checkpoint()
    mallory = Ed25519FileSigner.generate(name=ledger.settings.origin)
    event = store.record(
        KEY_ROTATED,
        actor="mallory",
        payload={
            "key": mallory.public_key.vkey,
            "endorsement": base64.b64encode(mallory.sign(b"x")).decode(),
        },
    )
    report = ledger.audit()
    assert report.problem == (
        f"event {event.seq} (ledger.key.rotated): the new key is not endorsed by the previous "
        f"key {ledger.public_key().key_id.hex()} (forged rotation)"
    )


def test_prove_refuses_events_outside_the_checkpoint(ledger: Ledger, store: SqlStore) -> None:
    from mamori.errors import NotFoundError

    add_run_events(store, 2)
    with pytest.raises(NotFoundError, match="no checkpoint"):
        ledger.prove(1)
    ledger.checkpoint()
    store.record("late", actor="a")
    with pytest.raises(NotFoundError, match="not in the checkpoint of size 3"):
        ledger.prove(4)
    sql(store, "DELETE FROM ledger_events WHERE seq = 3")
    with pytest.raises(LedgerTamperedError, match=r"log truncated|not included"):
        ledger.prove(2)


def test_payload_outside_rfc8785_is_refused_at_append(store: SqlStore) -> None:
    from mamori.ledger.chain import LedgerPayloadError

    with pytest.raises(LedgerPayloadError, match="safe integer range"):
        store.record("x", actor="a", payload={"n": 2**60})
    store.record("x", actor="a", payload={"n": 2**53 - 1, "s": "12345678901234567890"})
    assert store.ledger_head() is not None and store.ledger_head()[0] == 1  # type: ignore[index]


def test_config_accepts_the_ledger_section(tmp_path: Path) -> None:
    from mamori.config import Config

    (tmp_path / "mamori.toml").write_text('[ledger]\nwitness_dir = "/w"\nkey = "k"\n')
    Config.load(tmp_path)


def test_checkpoints_are_incremental_and_equal_a_full_recomputation(
    ledger: Ledger, store: SqlStore
) -> None:
    from pymerkle import InmemoryTree  # type: ignore[import-untyped]

    cps = []
    for n in (5, 1, 7, 16):
        add_run_events(store, n)
        cps.append(ledger.checkpoint())
    cps.append(ledger.checkpoint())  # nothing new: the same tree
    events = list(store.events())
    tree = InmemoryTree(algorithm="sha256")
    roots = {}
    for e in events:
        tree.append_entry(event_entry(e))
        roots[len(roots) + 1] = tree.get_root()
    for cp in cps:
        assert bytes.fromhex(cp.root_hash) == roots[cp.tree_size]
    assert [cp.tree_size for cp in cps] == [6, 7, 14, 30, 30]
    # Every checkpoint saved its compact range, so each proof starts from the nearest one.
    for seq in (1, 6, 7, 8, 13, 14, 15, 30):
        proof = ledger.prove(seq)
        verify_inclusion(
            seq - 1,
            30,
            event_leaf(events[seq - 1]),
            [bytes.fromhex(p) for p in proof.path],
            roots[30],
        )
    assert ledger.audit(pinned=ledger.public_key()).ok


def test_an_edited_compact_range_is_refused(ledger: Ledger, store: SqlStore) -> None:
    add_run_events(store, 5)
    cp = ledger.checkpoint()
    assert store.checkpoint_frontier(cp.id)
    sql(store, "UPDATE ledger_checkpoints SET frontier = :f", f="00" * 32 * 2)
    add_run_events(store, 2)
    with pytest.raises(
        LedgerTamperedError, match=r"compact range does not lead to its signed root"
    ):
        ledger.checkpoint()
    sql(store, "UPDATE ledger_checkpoints SET frontier = 'xyz'")
    with pytest.raises(LedgerTamperedError, match=r"compact range is unusable"):
        ledger.checkpoint()
    # A checkpoint saved without one (before migration 0005) means a full recomputation.
    sql(store, "UPDATE ledger_checkpoints SET frontier = NULL")
    assert ledger.checkpoint().tree_size == 8
    assert ledger.audit().ok


def test_checkpoint_refuses_a_truncated_log(ledger: Ledger, store: SqlStore) -> None:
    add_run_events(store, 5)
    ledger.checkpoint()
    store.record("late", actor="a")
    store.record("later", actor="a")
    sql(store, "DELETE FROM ledger_events WHERE seq = 8")
    with pytest.raises(LedgerTamperedError, match="has 7 events but its head records 8"):
        ledger.checkpoint()
    sql(store, "DELETE FROM ledger_events WHERE seq = 7")
    store_head = store.ledger_head()
    assert store_head is not None and store_head[0] == 8


def test_record_many_appends_in_order_atomically(store: SqlStore) -> None:
    from mamori.ledger.chain import LedgerPayloadError
    from mamori.ledger.verify import verify_ledger
    from mamori.store.interface import NewEvent

    store.record("first", actor="a")
    got = store.record_many(
        [NewEvent(kind="k", actor="a", subject=str(i), payload={"i": i}) for i in range(50)]
    )
    assert [e.seq for e in got] == list(range(2, 52))
    assert got == list(store.events(after=1))
    assert [e.kind for e in store.events(kinds={"first"})] == ["first"]
    with pytest.raises(LedgerPayloadError):
        store.record_many(
            [
                NewEvent(kind="ok", actor="a"),
                NewEvent(kind="bad", actor="a", payload={"x": float("nan")}),
            ]
        )
    with pytest.raises(RuntimeError), store.transaction():
        store.record_many([NewEvent(kind="undone", actor="a")])
        raise RuntimeError
    assert store.record_many([]) == []
    assert store.ledger_head() == (51, got[-1].hash)
    assert verify_ledger(store.events(), store.ledger_head()).ok
