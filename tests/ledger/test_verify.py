"""verify_ledger on in-memory chains: each kind of damage is reported at the right event."""

from __future__ import annotations

import dataclasses

from mamori.ledger.chain import GENESIS, UNREADABLE_PAYLOAD_KEY, event_hash
from mamori.ledger.verify import verify_ledger
from mamori.store.interface import LedgerEvent


def make_chain(n: int) -> list[LedgerEvent]:
    events: list[LedgerEvent] = []
    prev = GENESIS
    for seq in range(1, n + 1):
        fields = {
            "seq": seq,
            "at": f"2025-01-01T00:00:{seq:02d}.000000Z",
            "kind": "patch.verified" if seq % 2 else "scan.completed",
            "actor": "mamori",
            "run_id": "R-1" if seq > 1 else None,
            "subject": f"P-{seq}",
            "payload": {"n": seq},
        }
        h = event_hash(prev, **fields)  # type: ignore[arg-type]
        events.append(LedgerEvent(prev_hash=prev, hash=h, **fields))  # type: ignore[arg-type]
        prev = h
    return events


def rehash(event: LedgerEvent, prev: str) -> LedgerEvent:
    """The event re-hashed onto ``prev``: what a careful forger would store."""
    h = event_hash(
        prev,
        seq=event.seq,
        at=event.at,
        kind=event.kind,
        actor=event.actor,
        run_id=event.run_id,
        subject=event.subject,
        payload=event.payload,
    )
    return dataclasses.replace(event, prev_hash=prev, hash=h)


def head_of(events: list[LedgerEvent]) -> tuple[int, str]:
    return events[-1].seq, events[-1].hash


def test_intact_chain_verifies() -> None:
    events = make_chain(6)
    report = verify_ledger(events, head_of(events))
    assert report.ok
    assert report.events_checked == 6
    assert report.problem is None


def test_empty_ledger_verifies() -> None:
    assert verify_ledger([], None).ok


def test_edited_event_is_named() -> None:
    events = make_chain(6)
    events[3] = dataclasses.replace(events[3], payload={"n": 99})
    report = verify_ledger(events, head_of(events))
    assert not report.ok
    assert report.problem is not None
    assert report.problem.seq == 4
    assert report.problem.kind == "scan.completed"
    assert report.problem.subject == "P-4"
    assert report.problem.reason == (
        "event 4 (scan.completed, P-4): content does not match its hash (edited)"
    )
    assert report.events_checked == 3


def test_removed_middle_event() -> None:
    events = make_chain(6)
    del events[2]
    report = verify_ledger(events, head_of(events))
    assert report.problem is not None
    assert report.problem.seq == 3
    assert (
        report.problem.reason == "event 3: expected sequence 3 but found 4 (an event was removed)"
    )


def test_removed_last_event() -> None:
    events = make_chain(6)
    head = head_of(events)
    report = verify_ledger(events[:-1], head)
    assert report.problem is not None
    assert report.problem.reason == (
        "ledger ends at event 5 but the head records 6 (the last event was removed)"
    )
    report = verify_ledger(events[:-3], head)
    assert report.problem is not None
    assert "the last 3 events were removed" in report.problem.reason


def test_rehashed_event_breaks_the_link() -> None:
    # A forger edits event 4 and recomputes its hash (but cannot fix every later event).
    events = make_chain(6)
    events[3] = rehash(dataclasses.replace(events[3], payload={"n": 99}), events[2].hash)
    report = verify_ledger(events, head_of(events))
    assert report.problem is not None
    assert report.problem.seq == 5
    assert report.problem.reason == (
        "event 5 (patch.verified, P-5): previous-hash link broken (events reordered or removed)"
    )


def test_reordered_events_break_the_link() -> None:
    # Swap two events' contents, each re-hashed on its own so that its content check passes.
    events = make_chain(6)
    a, b = events[1], events[2]
    events[1] = rehash(dataclasses.replace(b, seq=2), b.prev_hash)
    events[2] = rehash(dataclasses.replace(a, seq=3), a.prev_hash)
    report = verify_ledger(events, head_of(events))
    assert report.problem is not None
    assert report.problem.seq == 2
    assert "previous-hash link broken" in report.problem.reason


def test_fully_rewritten_tail_is_caught_by_the_head() -> None:
    events = make_chain(6)
    head = head_of(events)
    events[5] = rehash(dataclasses.replace(events[5], payload={"n": 0}), events[4].hash)
    report = verify_ledger(events, head)
    assert report.problem is not None
    assert report.problem.seq == 6
    assert "differs from the head" in report.problem.reason


def test_missing_head_with_events() -> None:
    report = verify_ledger(make_chain(2), None)
    assert report.problem is not None
    assert "no recorded head" in report.problem.reason


def test_duplicated_sequence_number() -> None:
    events = make_chain(4)
    events.insert(2, events[1])
    report = verify_ledger(events, head_of(events))
    assert report.problem is not None
    assert report.problem.seq == 2
    assert "sequence number out of order: expected 3" in report.problem.reason


def test_unreadable_payload_is_named() -> None:
    events = make_chain(3)
    events[1] = dataclasses.replace(events[1], payload={UNREADABLE_PAYLOAD_KEY: '{"n": 2}'})
    report = verify_ledger(events, head_of(events))
    assert report.problem is not None
    assert report.problem.seq == 2
    assert "not the canonical JSON" in report.problem.reason


def test_events_after_the_head_are_still_chained() -> None:
    # An append that lands between reading the head and reading the events is not tampering.
    events = make_chain(5)
    assert verify_ledger(events, (4, events[3].hash)).ok
    broken = [*events[:4], dataclasses.replace(events[4], actor="mallory")]
    assert not verify_ledger(broken, (4, events[3].hash)).ok
