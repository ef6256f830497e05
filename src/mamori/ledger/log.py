"""The ledger as an RFC 9162 Merkle log: each event is one leaf.

A leaf's entry is the RFC 8785 (JCS) canonical JSON of the event's fields
``{"seq", "at", "kind", "actor", "run_id", "subject", "payload"}``; its hash is
``SHA-256(0x00 || entry)``. The events live in the database; the tree is derived from them. The
hash chain of :mod:`mamori.ledger.chain` is kept alongside: it names the first edited event
when the database alone is examined, and the Merkle tree lets a signed checkpoint commit to the
whole log in 32 bytes and prove inclusion and consistency in O(log n).
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from mamori.ledger.chain import LedgerPayloadError, event_body_json
from mamori.ledger.merkle import EMPTY_ROOT
from mamori.store.interface import LedgerEvent

__all__ = [
    "EventDigests",
    "Frontier",
    "entry_bytes",
    "entry_bytes_exact",
    "event_digests",
    "event_entry",
    "event_leaf",
    "roots_at",
]


_MAX_SAFE = 2**53 - 1
_encode_str = json.encoder.encode_basestring


def _es6_number(f: float) -> str:
    """ECMAScript Number.prototype.toString, as RFC 8785 section 3.2.2.3 requires.

    ``repr`` gives the shortest round-tripping digits (as ECMAScript does); only the layout
    (where the point goes, when to use an exponent) differs.
    """
    if math.isnan(f) or math.isinf(f):
        raise ValueError(f"{f!r} is not a JSON number")
    if f == 0:
        return "0"
    sign = "-" if f < 0 else ""
    text = repr(abs(f))
    mantissa, _, exp = text.partition("e")
    whole, _, frac = mantissa.partition(".")
    if frac == "0":
        frac = ""
    digits = (whole + frac).lstrip("0")
    # value = 0.DIGITS x 10^n
    n = (int(exp) if exp else 0) + (
        -(len(frac) - len(frac.lstrip("0"))) if whole == "0" else len(whole)
    )
    digits = digits.rstrip("0") or "0"
    k = len(digits)
    if k <= n <= 21:
        out = digits + "0" * (n - k)
    elif 0 < n <= 21:
        out = digits[:n] + "." + digits[n:]
    elif -6 < n <= 0:
        out = "0." + "0" * (-n) + digits
    else:
        e = n - 1
        out = digits[0] + ("." + digits[1:] if k > 1 else "") + ("e+" if e >= 0 else "e-")
        out += str(abs(e))
    return sign + out


def _utf16_key(key: str) -> bytes:
    return key.encode("utf-16-be", "surrogatepass")


def _jcs(obj: Any, out: list[str]) -> None:
    if isinstance(obj, str):
        out.append(_encode_str(obj))
    elif obj is None:
        out.append("null")
    elif obj is True:
        out.append("true")
    elif obj is False:
        out.append("false")
    elif isinstance(obj, int):
        if not -_MAX_SAFE <= obj <= _MAX_SAFE:
            raise ValueError(f"{obj} exceeds the safe integer range of JSON numbers")
        out.append(str(obj))
    elif isinstance(obj, float):
        out.append(_es6_number(obj))
    elif isinstance(obj, dict):
        out.append("{")
        first = True
        for key in sorted(obj, key=_utf16_key):
            if not isinstance(key, str):
                raise TypeError(f"object key {key!r} is not a string")
            if not first:
                out.append(",")
            first = False
            out.append(_encode_str(key))
            out.append(":")
            _jcs(obj[key], out)
        out.append("}")
    elif isinstance(obj, list | tuple):
        out.append("[")
        for i, item in enumerate(obj):
            if i:
                out.append(",")
            _jcs(item, out)
        out.append("]")
    else:
        raise TypeError(f"{type(obj).__name__} is not JSON")


# json's C encoder with RFC 8785's layout (sorted keys, no whitespace, UTF-8, the same string
# escapes). Its output is RFC 8785 exactly unless it holds a float that Python writes unlike
# ECMAScript (an integral value such as "2.0", or an exponent such as "1e-07"), an integer
# outside the safe range (16 digits or more), or a character outside the BMP (keys would sort by
# code point, not by UTF-16 unit). _needs_exact finds every such place with byte searches; it
# may also match inside a string ("v1.0"), which only sends that value to the exact encoder.
_C_ENCODE = json.JSONEncoder(
    sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
).encode
_FLOAT_ZERO = re.compile(rb"\.0(?![0-9])")  # "2.0", "-0.0": ECMAScript writes "2", "0"
_EXPONENT = re.compile(rb"[0-9]e[-+]")  # "1e-07", "1e+16": ECMAScript "1e-7", "10000000000000000"
# In compact JSON a number starts the text or follows ":", "," or "[" (then maybe "-"); map
# those to ":" and every digit to "0", and an integer of 16 digits or more shows as _LONG.
_NUMBER_SHAPE = bytes.maketrans(b"123456789,[-", b"000000000:::")
_LONG = b":" + b"0" * 16
_NON_BMP = re.compile(rb"[\xf0-\xf4]")  # UTF-8 lead bytes of U+10000 and above


def _needs_exact(body: bytes) -> bool:
    """Whether the C encoder's ``body`` might differ from RFC 8785 (see above)."""
    if body[:1] != b"{" and body[:1] != b"[":
        return True  # a bare scalar: cheap to encode exactly
    if b".0" in body and _FLOAT_ZERO.search(body):
        return True
    if (b"e-" in body or b"e+" in body) and _EXPONENT.search(body):
        return True
    if _LONG in body.translate(_NUMBER_SHAPE):
        return True
    return not body.isascii() and _NON_BMP.search(body) is not None


def _exact(value: Any) -> bytes:
    out: list[str] = []
    _jcs(value, out)
    return "".join(out).encode("utf-8")


def entry_bytes(fields: Any) -> bytes:
    """RFC 8785 (JCS) canonical JSON of a JSON value (``dict`` keys are ``str``, as
    :func:`json.loads` and :func:`mamori.serialize.to_jsonable` produce them).

    The C ``json`` encoder writes most values; only those it would write differently (see
    ``_needs_exact``) go through the exact encoder. Tests check both against the ``rfc8785``
    package on random JSON values.
    """
    try:
        body = _C_ENCODE(fields).encode("utf-8")
        return _exact(fields) if _needs_exact(body) else body
    except (TypeError, ValueError, UnicodeEncodeError, RecursionError) as e:
        raise LedgerPayloadError(f"cannot be written as RFC 8785 canonical JSON: {e}") from e


def entry_bytes_exact(fields: Any) -> bytes:
    """:func:`entry_bytes` by the exact (pure Python) encoder alone, for cross-checks."""
    try:
        return _exact(fields)
    except (TypeError, ValueError, UnicodeEncodeError, RecursionError) as e:
        raise LedgerPayloadError(f"cannot be written as RFC 8785 canonical JSON: {e}") from e


def _event_fields(event: LedgerEvent) -> dict[str, Any]:
    return {
        "seq": event.seq,
        "at": event.at,
        "kind": event.kind,
        "actor": event.actor,
        "run_id": event.run_id,
        "subject": event.subject,
        "payload": event.payload,
    }


def event_entry(event: LedgerEvent) -> bytes:
    """The leaf's entry: RFC 8785 of the event's fields."""
    return entry_bytes(_event_fields(event))


def event_leaf(event: LedgerEvent) -> bytes:
    return hashlib.sha256(b"\x00" + event_entry(event)).digest()


@dataclass(frozen=True, slots=True)
class EventDigests:
    chain: str  # hex SHA-256 of the event chained to its prev_hash (mamori.ledger.chain)
    leaf: bytes  # its RFC 9162 Merkle leaf hash
    stored_text_ok: bool  # payload_json (if the store gave it) is the payload's canonical JSON


def event_digests(event: LedgerEvent) -> EventDigests:
    """The chain hash and the Merkle leaf hash of ``event``, from one encoding of it.

    The chain's canonical JSON (:func:`mamori.ledger.chain.canonical_json`) and the leaf's
    RFC 8785 entry are the same bytes unless ``_needs_exact`` says otherwise, so verification
    encodes each event once; the same encoding checks the store's text of the payload.
    Raises :class:`LedgerPayloadError` if the event cannot be encoded.
    """
    fields = _event_fields(event)
    try:
        text = _C_ENCODE(fields)
        body = text.encode("utf-8")
        entry = _exact(fields) if _needs_exact(body) else body
    except (TypeError, ValueError, UnicodeEncodeError, RecursionError) as e:
        raise LedgerPayloadError(f"cannot be hashed into the ledger: {e}") from e
    ok = True
    if event.payload_json is not None:
        assembled = event_body_json(
            seq=event.seq,
            at=event.at,
            kind=event.kind,
            actor=event.actor,
            run_id=event.run_id,
            subject=event.subject,
            payload_json=event.payload_json,
        )
        if assembled is None:
            ok = _C_ENCODE(event.payload) == event.payload_json
        else:
            ok = assembled == text
    chain = hashlib.sha256(event.prev_hash.encode("utf-8") + b"\n" + body).hexdigest()
    return EventDigests(
        chain=chain, leaf=hashlib.sha256(b"\x00" + entry).digest(), stored_text_ok=ok
    )


class Frontier:
    """The perfect subtrees of a growing tree (its "compact range"): append is amortised O(1)
    and the root at the current size is O(log n), so the roots at many sizes cost one pass."""

    def __init__(self) -> None:
        self._stack: list[tuple[int, bytes]] = []  # (height, hash), left to right
        self.size = 0

    def append(self, leaf: bytes) -> None:
        height, node = 0, leaf
        stack = self._stack
        while stack and stack[-1][0] == height:
            _, left = stack.pop()
            node = hashlib.sha256(b"\x01" + left + node).digest()
            height += 1
        stack.append((height, node))
        self.size += 1

    @classmethod
    def restore(cls, size: int, hashes: Sequence[bytes]) -> Frontier:
        """The frontier of a tree of ``size`` leaves from its compact range (largest first)."""
        heights = [h for h in range(size.bit_length() - 1, -1, -1) if size >> h & 1]
        if len(hashes) != len(heights) or any(len(x) != 32 for x in hashes):
            raise ValueError(
                f"a tree of size {size} has {len(heights)} subtree hashes, not {len(hashes)}"
            )
        f = cls()
        f._stack = list(zip(heights, hashes, strict=True))
        f.size = size
        return f

    @classmethod
    def decode(cls, size: int, text: str) -> Frontier:
        """:meth:`restore` from :meth:`encode`'s text."""
        if len(text) % 64:
            raise ValueError("a compact range is a whole number of 64-hex-digit hashes")
        try:
            hashes = [bytes.fromhex(text[i : i + 64]) for i in range(0, len(text), 64)]
        except ValueError as e:
            raise ValueError(f"a compact range is hex: {e}") from e
        return cls.restore(size, hashes)

    def hashes(self) -> list[bytes]:
        """The compact range: the perfect subtrees' hashes, largest (leftmost) first."""
        return [h for _, h in self._stack]

    def encode(self) -> str:
        return "".join(h.hex() for _, h in self._stack)

    def copy(self) -> Frontier:
        f = Frontier()
        f._stack = list(self._stack)
        f.size = self.size
        return f

    def root(self) -> bytes:
        if not self._stack:
            return EMPTY_ROOT
        # Left subtrees are perfect and largest first: fold right to left (RFC 9162 MTH).
        node = self._stack[-1][1]
        for _, left in reversed(self._stack[:-1]):
            node = hashlib.sha256(b"\x01" + left + node).digest()
        return node


def roots_at(leaves: Iterable[bytes], sizes: Sequence[int]) -> dict[int, bytes]:
    """The tree roots at each of ``sizes`` (those larger than the log are left out)."""
    wanted = set(sizes)
    out: dict[int, bytes] = {}
    if 0 in wanted:
        out[0] = EMPTY_ROOT
    frontier = Frontier()
    for leaf in leaves:
        frontier.append(leaf)
        if frontier.size in wanted:
            out[frontier.size] = frontier.root()
    return out
