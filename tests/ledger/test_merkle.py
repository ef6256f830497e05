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
