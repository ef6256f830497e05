"""Verification of the hash-chained ledger.

:func:`verify_ledger` walks the events in sequence order and reports the first problem it
finds, naming the event: an edited event (its fields no longer hash to its stored hash), a gap
in the sequence (an event was removed), a broken link (events reordered or removed and
re-hashed), or a ledger shorter than its head (the last events were removed).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from mamori.ledger.chain import GENESIS, UNREADABLE_PAYLOAD_KEY, LedgerPayloadError, event_hash
from mamori.ledger.log import event_digests
from mamori.store.interface import LedgerEvent

__all__ = ["ChainChecker", "LedgerProblem", "LedgerReport", "verify_ledger"]


@dataclass(frozen=True, slots=True, kw_only=True)
class LedgerProblem:
    """The first problem found; ``reason`` is a complete sentence for people."""

    seq: int | None  # the event the problem is at (None: no event to name)
    kind: str | None
    subject: str | None
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class LedgerReport:
    ok: bool
    events_checked: int
    problem: LedgerProblem | None = None


def _label(event: LedgerEvent) -> str:
    details = ", ".join(p for p in (event.kind, event.subject) if p)
    return f"event {event.seq} ({details})" if details else f"event {event.seq}"


def _problem(event: LedgerEvent, reason: str) -> LedgerProblem:
    return LedgerProblem(
        seq=event.seq, kind=event.kind, subject=event.subject, reason=f"{_label(event)}: {reason}"
    )


def _recomputed_hash(event: LedgerEvent) -> str | None:
    try:
        return event_hash(
            event.prev_hash,
            seq=event.seq,
            at=event.at,
            kind=event.kind,
            actor=event.actor,
            run_id=event.run_id,
            subject=event.subject,
            payload=event.payload,
        )
    except LedgerPayloadError:
        return None


class ChainChecker:
    """:func:`verify_ledger` one event at a time, so that a caller can stream the ledger once
    and also use each event's Merkle leaf (:attr:`leaf`) computed from the same encoding."""

    def __init__(self, head: tuple[int, str] | None) -> None:
        self.head = head
        self.expected_seq = 1
        self.prev_hash = GENESIS
        self.checked = 0
        self.leaf = b""  # the Merkle leaf hash of the last event accepted by add()

    def add(self, event: LedgerEvent) -> LedgerProblem | None:
        """Check the next event; None if it is sound (then :attr:`leaf` is its leaf hash)."""
        expected_seq = self.expected_seq
        if event.seq > expected_seq:
            gap = event.seq - expected_seq
            missing = "an event was removed" if gap == 1 else f"{gap} events were removed"
            # The missing event cannot be described (kind, subject): it is gone.
            return LedgerProblem(
                seq=expected_seq,
                kind=None,
                subject=None,
                reason=f"event {expected_seq}: expected sequence {expected_seq} but found "
                f"{event.seq} ({missing})",
            )
        if event.seq < expected_seq:
            return _problem(
                event,
                f"sequence number out of order: expected {expected_seq} "
                "(sequence number edited or duplicated)",
            )
        if isinstance(event.payload, dict) and UNREADABLE_PAYLOAD_KEY in event.payload:
            return _problem(
                event, "the stored payload is not the canonical JSON that was hashed (edited)"
            )
        leaf_problem = None
        chain: str | None
        try:
            digests = event_digests(event)
        except LedgerPayloadError as err:
            # Not RFC 8785 (e.g. an integer beyond 2^53): the chain may still hold, but the
            # event cannot be a Merkle leaf.
            chain, leaf, leaf_problem = _recomputed_hash(event), b"", err.message
        else:
            if not digests.stored_text_ok:
                # Same value, other bytes (e.g. "\u001f" -> "\u001F"): not what was hashed.
                return _problem(
                    event, "the stored payload is not the canonical JSON that was hashed (edited)"
                )
            chain, leaf = digests.chain, digests.leaf
        if chain != event.hash:
            return _problem(event, "content does not match its hash (edited)")
        if event.prev_hash != self.prev_hash:
            return _problem(event, "previous-hash link broken (events reordered or removed)")
        head = self.head
        if head is not None and event.seq == head[0] and event.hash != head[1]:
            return _problem(
                event,
                f"hash {event.hash[:16]}... differs from the head's {head[1][:16]}... "
                "(the event was re-hashed after an edit, or the head was edited)",
            )
        if leaf_problem is not None:
            return _problem(event, leaf_problem)
        self.leaf = leaf
        self.checked += 1
        self.prev_hash = event.hash
        self.expected_seq += 1
        return None

    def finish(self) -> LedgerProblem | None:
        """After the last event: the problem of a ledger shorter than its head, if any."""
        last = self.expected_seq - 1
        head = self.head
        if head is None:
            if last > 0:
                return LedgerProblem(
                    seq=None,
                    kind=None,
                    subject=None,
                    reason=f"the ledger has {last} events but no recorded head (head removed)",
                )
            return None
        if last < head[0]:
            removed = (
                "the last event was removed"
                if head[0] == last + 1
                else f"the last {head[0] - last} events were removed"
            )
            return LedgerProblem(
                seq=head[0],
                kind=None,
                subject=None,
                reason=f"ledger ends at event {last} but the head records {head[0]} ({removed})",
            )
        return None


def verify_ledger(events: Iterable[LedgerEvent], head: tuple[int, str] | None) -> LedgerReport:
    """Check the chain of ``events`` (in sequence order) against the recorded ``head``.

    ``head`` is ``(seq, hash)`` as recorded when the last event was appended; it catches the
    removal of the last events, which the chain alone cannot. Events after the head are still
    checked link by link (a concurrent append between reading the head and the events is not
    tampering); the event at the head's sequence must carry the head's hash. Every event must
    also be encodable as an RFC 8785 Merkle leaf.
    """
    checker = ChainChecker(head)
    for event in events:
        problem = checker.add(event)
        if problem is not None:
            return LedgerReport(ok=False, events_checked=checker.checked, problem=problem)
    problem = checker.finish()
    return LedgerReport(ok=problem is None, events_checked=checker.checked, problem=problem)
