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
    "event_hash",
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
