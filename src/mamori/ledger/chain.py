"""The ledger's hash chain.

Each event's hash covers the previous event's hash and every field of the event::

    hash = SHA-256( prev_hash (64 hex chars, ASCII) || "\\n" ||
                    canonical_json({"seq", "at", "kind", "actor", "run_id", "subject", "payload"}) )

The first event's ``prev_hash`` is :data:`GENESIS`. Canonical JSON is sorted keys, no
whitespace, UTF-8 (non-ASCII characters are not escaped), and rejects NaN and infinities, so the
same event always hashes to the same value whatever produced it.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from mamori.errors import Error

__all__ = [
    "GENESIS",
    "UNREADABLE_PAYLOAD_KEY",
    "LedgerPayloadError",
    "canonical_json",
    "event_body_json",
    "event_hash",
    "event_hash_json",
]

GENESIS = "0" * 64

# A store that finds a stored payload which is not exactly the canonical JSON it wrote (invalid
# JSON, or bytes changed in a way that parses to the same value, like "\u001f" -> "\u001F")
# yields the event with ``payload = {UNREADABLE_PAYLOAD_KEY: <stored text>}`` instead of raising,
# so that verification can name the event rather than stop at it.
UNREADABLE_PAYLOAD_KEY = "mamori.ledger/unreadable-payload"


class LedgerPayloadError(Error, ValueError):
    """A value cannot be written to the ledger (not JSON, or NaN/infinity)."""


def canonical_json(obj: Any) -> bytes:
    """The canonical UTF-8 JSON encoding of ``obj`` (sorted keys, no whitespace)."""
    try:
        text = json.dumps(
            obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
        )
        # Lone surrogates survive json.dumps but are not UTF-8; reject them here too.
        return text.encode("utf-8")
    except (TypeError, ValueError) as e:
        raise LedgerPayloadError(f"cannot be written as canonical JSON: {e}") from e


def event_hash(
    prev_hash: str,
    *,
    seq: int,
    at: str,
    kind: str,
    actor: str,
    run_id: str | None,
    subject: str,
    payload: Any,
) -> str:
    """The hex SHA-256 of one event chained to ``prev_hash``."""
    body = canonical_json(
        {
            "seq": seq,
            "at": at,
            "kind": kind,
            "actor": actor,
            "run_id": run_id,
            "subject": subject,
            "payload": payload,
        }
    )
    # prev_hash is hashed as the text stored in the row: any edit to it changes the result.
    return hashlib.sha256(prev_hash.encode("utf-8") + b"\n" + body).hexdigest()


_enc = json.encoder.encode_basestring  # the string encoder of json.dumps(ensure_ascii=False)


def event_body_json(
    *,
    seq: int,
    at: str,
    kind: str,
    actor: str,
    run_id: str | None,
    subject: str,
    payload_json: str,
) -> str | None:
    """The event's canonical JSON text assembled around the payload's ``payload_json``.

    The fields are few and fixed, so the body is built in sorted key order around the
    payload's text instead of encoding the payload again. It equals the canonical JSON of the
    event exactly when ``payload_json`` is the canonical JSON of the payload. None if a field
    has an unexpected type (then encode the event as a whole).
    """
    if not (
        type(seq) is int
        and type(at) is str
        and type(kind) is str
        and type(actor) is str
        and (run_id is None or type(run_id) is str)
        and type(subject) is str
    ):
        return None
    return (
        f'{{"actor":{_enc(actor)},"at":{_enc(at)},"kind":{_enc(kind)},'
        f'"payload":{payload_json},"run_id":{"null" if run_id is None else _enc(run_id)},'
        f'"seq":{seq},"subject":{_enc(subject)}}}'
    )


def event_hash_json(
    prev_hash: str,
    *,
    seq: int,
    at: str,
    kind: str,
    actor: str,
    run_id: str | None,
    subject: str,
    payload_json: str,
) -> str:
    """:func:`event_hash` given the payload already as canonical JSON text (appends have it)."""
    body = event_body_json(
        seq=seq,
        at=at,
        kind=kind,
        actor=actor,
        run_id=run_id,
        subject=subject,
        payload_json=payload_json,
    )
    if body is None:
        return event_hash(
            prev_hash,
            seq=seq,
            at=at,
            kind=kind,
            actor=actor,
            run_id=run_id,
            subject=subject,
            payload=json.loads(payload_json),
        )
    try:
        data = body.encode("utf-8")
    except UnicodeEncodeError as e:
        raise LedgerPayloadError(f"cannot be written as canonical JSON: {e}") from e
    return hashlib.sha256(prev_hash.encode("utf-8") + b"\n" + data).hexdigest()
