"""The hash chain's encoding: canonical JSON and the event hash."""

from __future__ import annotations

import hashlib
import math

import pytest

from mamori.ledger.chain import GENESIS, LedgerPayloadError, canonical_json, event_hash


def test_canonical_json_is_sorted_compact_utf8() -> None:
    assert canonical_json({"b": 1, "a": [1, 2.5, None, True], "é": "日本"}) == (
        '{"a":[1,2.5,null,true],"b":1,"é":"日本"}'.encode()
    )
    assert canonical_json({"z": {"y": 1, "x": 2}}) == b'{"z":{"x":2,"y":1}}'


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf, {"a": [math.nan]}])
def test_canonical_json_rejects_nan(bad: object) -> None:
    with pytest.raises(LedgerPayloadError):
        canonical_json(bad)


@pytest.mark.parametrize("bad", [object(), {"a": b"bytes"}, "\ud800"])
def test_canonical_json_rejects_non_json(bad: object) -> None:
    with pytest.raises(LedgerPayloadError):
        canonical_json(bad)


def test_event_hash_matches_the_documented_construction() -> None:
    body = (
        b'{"actor":"alice","at":"2025-01-01T00:00:00.000000Z","kind":"scan.completed",'
        b'"payload":{"n":1},"run_id":null,"seq":1,"subject":"F-1"}'
    )
    expected = hashlib.sha256(GENESIS.encode() + b"\n" + body).hexdigest()
    assert (
        event_hash(
            GENESIS,
            seq=1,
            at="2025-01-01T00:00:00.000000Z",
            kind="scan.completed",
            actor="alice",
            run_id=None,
            subject="F-1",
            payload={"n": 1},
        )
        == expected
    )


BASE = {
    "seq": 3,
    "at": "2025-01-01T00:00:00.000000Z",
    "kind": "patch.verified",
    "actor": "mamori",
    "run_id": "R-1",
    "subject": "P-1",
    "payload": {"ok": True},
}


@pytest.mark.parametrize(
    ("field", "other"),
    [
        ("seq", 4),
        ("at", "2025-01-01T00:00:00.000001Z"),
        ("kind", "patch.verifiee"),
        ("actor", "mamorj"),
        ("run_id", None),
        ("run_id", ""),
        ("subject", "P-2"),
        ("payload", {"ok": False}),
        ("payload", {"ok": 1}),
    ],
)
def test_every_field_changes_the_hash(field: str, other: object) -> None:
    prev = "a" * 64
    original = event_hash(prev, **BASE)  # type: ignore[arg-type]
    changed = event_hash(prev, **{**BASE, field: other})  # type: ignore[arg-type]
    assert original != changed
    assert event_hash("b" * 64, **BASE) != original  # type: ignore[arg-type]
