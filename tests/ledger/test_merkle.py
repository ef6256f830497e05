"""RFC 9162 Merkle proofs: property-based, and roots cross-checked against pymerkle."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pymerkle import InmemoryTree  # type: ignore[import-untyped]

from mamori.ledger import standalone_verify
from mamori.ledger.log import Frontier, roots_at
from mamori.ledger.merkle import (
    EMPTY_ROOT,
    MerkleProofError,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    root_hash,
    verify_consistency,
    verify_inclusion,
)

entries = st.lists(st.binary(max_size=24), min_size=1, max_size=70)


def pymerkle_root(data: list[bytes]) -> bytes:
    tree = InmemoryTree(algorithm="sha256")  # RFC 9162 prefixes (security on by default)
    for d in data:
        tree.append_entry(d)
    root: bytes = tree.get_root()
    return root


def test_known_vectors() -> None:
    # RFC 9162 definitions written out by hand for 3 leaves: MTH = H(1 || H(1||l0||l1) || l2).
    l0, l1, l2 = (hashlib.sha256(b"\x00" + x).digest() for x in (b"a", b"b", b"c"))
    left = hashlib.sha256(b"\x01" + l0 + l1).digest()
    assert root_hash([l0, l1, l2]) == hashlib.sha256(b"\x01" + left + l2).digest()
    assert root_hash([]) == EMPTY_ROOT == hashlib.sha256(b"").digest()
    assert root_hash([l0]) == l0


@settings(max_examples=60, deadline=None)
@given(entries)
def test_root_matches_pymerkle_and_frontier(data: list[bytes]) -> None:
    leaves = [leaf_hash(d) for d in data]
    expected = pymerkle_root(data)
    assert root_hash(leaves) == expected
    f = Frontier()
    for leaf in leaves:
        f.append(leaf)
    assert f.root() == expected
    sizes = list(range(len(leaves) + 1))
    roots = roots_at(leaves, sizes)
    for size in sizes:
        assert roots[size] == root_hash(leaves[:size])


@settings(max_examples=80, deadline=None)
@given(entries, st.data())
def test_inclusion_proofs_verify_and_detect_changes(data: list[bytes], draw: st.DataObject) -> None:
    leaves = [leaf_hash(d) for d in data]
    n = len(leaves)
    root = root_hash(leaves)
    index = draw.draw(st.integers(0, n - 1))
    proof = inclusion_proof(index, leaves)
    verify_inclusion(index, n, leaves[index], proof, root)
    assert standalone_verify.verify_inclusion(index, n, leaves[index], proof, root)
    # A different leaf, index, size or a flipped proof byte must not verify.
    with pytest.raises(MerkleProofError):
        verify_inclusion(index, n, leaf_hash(b"other" + data[index]), proof, root)
    if n > 1:
        other = (index + 1) % n
        if leaves[other] != leaves[index]:
            with pytest.raises(MerkleProofError):
                verify_inclusion(other, n, leaves[index], proof, root)
        bad = [bytes([proof[0][0] ^ 1]) + proof[0][1:], *proof[1:]]
        with pytest.raises(MerkleProofError):
            verify_inclusion(index, n, leaves[index], bad, root)
        assert not standalone_verify.verify_inclusion(index, n, leaves[index], bad, root)
        with pytest.raises(MerkleProofError):
            verify_inclusion(index, n, leaves[index], proof[:-1], root)


@settings(max_examples=80, deadline=None)
@given(entries, st.data())
def test_consistency_proofs_verify_and_detect_rewrites(
    data: list[bytes], draw: st.DataObject
) -> None:
    leaves = [leaf_hash(d) for d in data]
    n = len(leaves)
    m = draw.draw(st.integers(0, n))
    old_root, new_root = root_hash(leaves[:m]), root_hash(leaves)
    proof = consistency_proof(m, leaves)
    verify_consistency(m, n, old_root, new_root, proof)
    assert standalone_verify.verify_consistency(m, n, old_root, new_root, proof)
    if m > 0:
        # History before m rewritten: the old root no longer follows from the new tree.
        i = draw.draw(st.integers(0, m - 1))
        rewritten = [*leaves[:i], leaf_hash(b"rewritten" + data[i]), *leaves[i + 1 :]]
        new_proof = consistency_proof(m, rewritten)
        with pytest.raises(MerkleProofError):
            verify_consistency(m, n, old_root, root_hash(rewritten), new_proof)
        assert not standalone_verify.verify_consistency(
            m, n, old_root, root_hash(rewritten), new_proof
        )


def test_proof_arguments_out_of_range() -> None:
    leaves = [leaf_hash(b"x")] * 3
    with pytest.raises(MerkleProofError, match="outside a tree of size 3"):
        inclusion_proof(3, leaves)
    with pytest.raises(MerkleProofError, match="larger than the new size"):
        verify_consistency(4, 3, b"", b"", [])
    with pytest.raises(MerkleProofError, match="different roots"):
        verify_consistency(3, 3, root_hash(leaves), EMPTY_ROOT, [])


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**53) + 1, 2**53 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=6), children, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=400, deadline=None)
@given(json_values)
def test_entry_encoding_is_byte_identical_to_rfc8785(value: Any) -> None:
    import rfc8785

    from mamori.ledger.log import entry_bytes

    try:
        expected = rfc8785.dumps({"v": value})
    except (rfc8785.CanonicalizationError, UnicodeEncodeError):
        with pytest.raises(Exception, match="RFC 8785"):
            entry_bytes({"v": value})
        return
    assert entry_bytes({"v": value}) == expected


@pytest.mark.parametrize(
    "x", [1e21, 1e20, 1.5e-7, 1e-6, 123456789012345680000.0, -0.0, 0.1, 5e-324, 0.000123]
)
def test_entry_numbers_match_rfc8785_edge_cases(x: float) -> None:
    import rfc8785

    from mamori.ledger.log import entry_bytes

    assert entry_bytes({"v": x}) == rfc8785.dumps({"v": x})


# --- the fast RFC 8785 path (C json encoder + _needs_exact) against rfc8785 and the exact one --
# Values chosen to hit every case where json.dumps and RFC 8785 differ: integral floats,
# exponents, integers near 2^53, keys outside the BMP next to keys in U+E000..U+FFFF, and
# strings that merely look like those.
tricky_floats = st.sampled_from(
    [
        2.0,
        -0.0,
        0.0,
        1e16,
        1e21,
        1e-7,
        1.5e-7,
        1e-6,
        123.0,
        0.1,
        1e15,
        5e-324,
        1.7976931348623157e308,
    ]
) | st.floats(allow_nan=False, allow_infinity=False)
tricky_ints = st.sampled_from([2**53 - 1, -(2**53) + 1, 10**15, 10**16 - 1, 2**53, -(2**53)])
tricky_text = st.sampled_from(
    ["v1.0", "1e-5", "cwe-89", "1234567890123456", "\U0001f600", "\ue000", "\uffff", "é", ""]
) | st.text(max_size=8)
tricky_json = st.recursive(
    st.none() | st.booleans() | tricky_floats | tricky_ints | st.integers() | tricky_text,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(tricky_text, children, max_size=5)
    ),
    max_leaves=25,
)


@settings(max_examples=600, deadline=None)
@given(tricky_json)
def test_fast_entry_encoding_matches_rfc8785_and_the_exact_encoder(value: Any) -> None:
    import rfc8785

    from mamori.ledger.log import entry_bytes, entry_bytes_exact

    for wrapped in ({"v": value}, [value], value):
        try:
            expected = rfc8785.dumps(wrapped)
        except (rfc8785.CanonicalizationError, UnicodeEncodeError):
            with pytest.raises(Exception, match="RFC 8785"):
                entry_bytes(wrapped)
            with pytest.raises(Exception, match="RFC 8785"):
                entry_bytes_exact(wrapped)
            continue
        assert entry_bytes(wrapped) == expected
        assert entry_bytes_exact(wrapped) == expected


event_fields = st.fixed_dictionaries(
    {
        "seq": st.integers(1, 10**9),
        "at": st.just("2026-11-28T08:00:00.000001Z") | st.text(max_size=5),
        "kind": tricky_text,
        "actor": tricky_text,
        "run_id": st.none() | tricky_text,
        "subject": tricky_text,
        "payload": st.dictionaries(tricky_text, tricky_json, max_size=4),
    }
)


@settings(max_examples=300, deadline=None)
@given(event_fields)
def test_one_encoding_gives_the_chain_hash_and_the_leaf(fields: dict[str, Any]) -> None:
    """event_digests (verification) and event_hash_json (append) agree with the documented
    constructions: SHA-256(prev || "\\n" || canonical_json(event)) and the RFC 8785 leaf."""
    import dataclasses
    import json

    import rfc8785

    from mamori.ledger.chain import LedgerPayloadError, canonical_json, event_hash, event_hash_json
    from mamori.ledger.log import event_digests
    from mamori.store.interface import LedgerEvent

    prev = "ab" * 32
    try:
        chain = event_hash(prev, **fields)
    except LedgerPayloadError:
        return  # not JSON at all (lone surrogates): refused at append
    text = canonical_json(fields["payload"]).decode("utf-8")
    base = {k: v for k, v in fields.items() if k != "payload"}
    assert event_hash_json(prev, payload_json=text, **base) == chain
    event = LedgerEvent(**fields, prev_hash=prev, hash=chain)
    stored = dataclasses.replace(event, payload=json.loads(text))
    object.__setattr__(stored, "payload_json", text)
    try:
        leaf = hashlib.sha256(b"\x00" + rfc8785.dumps(fields)).digest()
    except (rfc8785.CanonicalizationError, UnicodeEncodeError):
        with pytest.raises(LedgerPayloadError):
            event_digests(stored)
        return
    for e in (event, stored):
        d = event_digests(e)
        assert (d.chain, d.leaf, d.stored_text_ok) == (chain, leaf, True)
    # The same value written with other bytes is named, whatever the bytes.
    if text != "{}":
        object.__setattr__(stored, "payload_json", text.replace(":", ": ", 1))
        assert not event_digests(stored).stored_text_ok


@settings(max_examples=200, deadline=None)
@given(entries, st.data())
def test_inclusion_proof_from_the_compact_range_equals_the_full_proof(
    data: list[bytes], draw: st.DataObject
) -> None:
    from mamori.ledger.merkle import inclusion_proof_from

    leaves = [leaf_hash(d) for d in data]
    index = draw.draw(st.integers(0, len(leaves) - 1))
    f = Frontier()
    for leaf in leaves[:index]:
        f.append(leaf)
    resumed = Frontier.decode(f.size, f.encode())
    assert resumed.root() == f.root() == root_hash(leaves[:index])
    proof = inclusion_proof_from(index, resumed.hashes(), leaves[index:])
    assert proof == inclusion_proof(index, leaves)
    verify_inclusion(index, len(leaves), leaves[index], proof, pymerkle_root(data))
    with pytest.raises(MerkleProofError, match="compact range"):
        inclusion_proof_from(index, [*resumed.hashes(), EMPTY_ROOT], leaves[index:])


def test_frontier_restore_refuses_a_wrong_compact_range() -> None:
    f = Frontier()
    for i in range(6):
        f.append(leaf_hash(bytes([i])))
    assert len(f.hashes()) == 2  # 6 = 4 + 2
    with pytest.raises(ValueError, match="has 2 subtree hashes, not 1"):
        Frontier.restore(6, f.hashes()[:1])
    with pytest.raises(ValueError, match="64-hex-digit"):
        Frontier.decode(6, f.encode()[:-1])
    with pytest.raises(ValueError, match="hex"):
        Frontier.decode(6, "zz" * 64)


@pytest.mark.parametrize(
    ("value", "exact"),
    [
        ({"at": "2026-11-28T08:00:00.012345Z", "score": 0.14285714285714285, "n": 7}, False),
        ({"names": ["é", "日本"], "cwe": 89, "rule": "mamori:python/sql-injection"}, False),
        ({"x": 2.0}, True),
        ({"x": 1e-07}, True),
        ({"x": 1e16}, True),
        ({"x": 1234567890123456}, True),
        ({"x": -1234567890123456}, True),
        ([1234567890123456], True),
        ({"\U0001f600": 1}, True),
        (7, True),
    ],
)
def test_fast_path_is_taken_for_ordinary_events_only(value: Any, exact: bool) -> None:
    """The speed comes from the C encoder; the exact encoder only where they could differ."""
    import json

    from mamori.ledger.log import _needs_exact

    body = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert _needs_exact(body.encode("utf-8")) is exact


@settings(max_examples=150, deadline=None)
@given(entries, st.data())
def test_memoised_subtree_hashes_give_the_same_proofs(
    data: list[bytes], draw: st.DataObject
) -> None:
    from mamori.ledger.merkle import SubtreeHashes

    leaves = [leaf_hash(d) for d in data]
    mth = SubtreeHashes(leaves)  # shared by every proof below, as an evidence export does
    n = len(leaves)
    assert mth(0, n) == root_hash(leaves) == pymerkle_root(data)
    for _ in range(3):
        index = draw.draw(st.integers(0, n - 1))
        assert inclusion_proof(index, leaves, mth=mth) == inclusion_proof(index, leaves)
        size = draw.draw(st.integers(1, n))
        old = draw.draw(st.integers(0, size))
        prefix = leaves[:size]
        assert consistency_proof(old, prefix, mth=mth) == consistency_proof(old, prefix)
