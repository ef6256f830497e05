"""RFC 9162 Merkle tree hashing, inclusion proofs and consistency proofs.

``leaf = SHA-256(0x00 || entry)``, ``node = SHA-256(0x01 || left || right)``; the tree over ``n``
leaves splits at the largest power of two smaller than ``n`` (RFC 9162 section 2.1.1). Proof
generation follows section 2.1.3/2.1.4 and verification the algorithms of sections 2.1.3.2 and
2.1.4.2, so that proofs interoperate with any other RFC 9162 implementation.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence

from mamori.errors import LedgerTamperedError

__all__ = [
    "EMPTY_ROOT",
    "MerkleProofError",
    "SubtreeHashes",
    "consistency_proof",
    "inclusion_proof",
    "inclusion_proof_from",
    "leaf_hash",
    "node_hash",
    "root_hash",
    "verify_consistency",
    "verify_inclusion",
]

EMPTY_ROOT = hashlib.sha256(b"").digest()


class MerkleProofError(LedgerTamperedError):
    """A proof does not verify, or was asked for an index or size outside the tree."""


def leaf_hash(entry: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + entry).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    """The largest power of two strictly smaller than ``n`` (n >= 2)."""
    return 1 << ((n - 1).bit_length() - 1)


def root_hash(leaves: Sequence[bytes]) -> bytes:
    """MTH over already-hashed ``leaves``, iteratively (no recursion depth, O(n) hashes).

    Reducing adjacent pairs level by level and carrying an odd last node up unchanged yields
    the same tree as RFC 9162's split at the largest power of two.
    """
    if not leaves:
        return EMPTY_ROOT
    level = list(leaves)
    sha = hashlib.sha256
    while len(level) > 1:
        nxt = [sha(b"\x01" + level[i] + level[i + 1]).digest() for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            nxt.append(level[-1])
        level = nxt
    return level[0]


class SubtreeHashes:
    """MTH of any range of ``leaves``, memoised.

    Many proofs over one log (an evidence bundle's: one per event, one per checkpoint pair)
    share the tree's nodes; with this cache they cost O(n) hashes together instead of O(n)
    each. Pass it as ``mth`` to :func:`inclusion_proof` and :func:`consistency_proof`.
    """

    def __init__(self, leaves: Sequence[bytes]) -> None:
        self.leaves = leaves
        self._memo: dict[tuple[int, int], bytes] = {}

    def __call__(self, lo: int, hi: int) -> bytes:
        if hi - lo == 1:
            return self.leaves[lo]
        if hi <= lo:
            return EMPTY_ROOT
        key = (lo, hi)
        node = self._memo.get(key)
        if node is None:
            k = _split(hi - lo)
            node = node_hash(self(lo, lo + k), self(lo + k, hi))
            self._memo[key] = node
        return node


def _direct(leaves: Sequence[bytes]) -> Callable[[int, int], bytes]:
    return lambda lo, hi: root_hash(leaves[lo:hi])


def inclusion_proof(
    index: int, leaves: Sequence[bytes], *, mth: Callable[[int, int], bytes] | None = None
) -> list[bytes]:
    """The audit path of leaf ``index`` in the tree over ``leaves`` (RFC 9162 2.1.3.1)."""
    n = len(leaves)
    if not 0 <= index < n:
        raise MerkleProofError(f"leaf index {index} is outside a tree of size {n}")
    sub = mth or _direct(leaves)
    path: list[bytes] = []
    lo, hi = 0, n
    while hi - lo > 1:
        k = _split(hi - lo)
        if index - lo < k:
            path.append(sub(lo + k, hi))
            hi = lo + k
        else:
            path.append(sub(lo, lo + k))
            lo = lo + k
    path.reverse()
    return path


def inclusion_proof_from(index: int, left: Sequence[bytes], tail: Sequence[bytes]) -> list[bytes]:
    """:func:`inclusion_proof` of leaf ``index`` in the tree of ``index + len(tail)`` leaves,
    given only the compact range of the leaves before it (``left``, largest subtree first, as
    :meth:`mamori.ledger.log.Frontier.hashes` gives) and the leaves from it on (``tail``).

    The left siblings on a leaf's path are exactly the compact range of the leaves before it,
    so a proof costs O(size - index) hashes instead of O(size).
    """
    size = index + len(tail)
    if not 0 <= index < size:
        raise MerkleProofError(f"leaf index {index} is outside a tree of size {size}")
    if len(left) != index.bit_count():
        raise MerkleProofError(
            f"the compact range of {index} leaves has {index.bit_count()} hashes, not {len(left)}"
        )
    top_down: list[bytes] = []
    lefts = iter(left)
    lo, hi = 0, size
    while hi - lo > 1:
        k = _split(hi - lo)
        if index < lo + k:
            top_down.append(root_hash(tail[lo + k - index : hi - index]))
            hi = lo + k
        else:
            top_down.append(next(lefts))  # the subtree [lo, lo + k), wholly before the leaf
            lo += k
    top_down.reverse()
    return top_down


def consistency_proof(
    old_size: int, leaves: Sequence[bytes], *, mth: Callable[[int, int], bytes] | None = None
) -> list[bytes]:
    """Proof that the first ``old_size`` leaves prefix ``leaves`` (RFC 9162 2.1.4.1)."""
    n = len(leaves)
    if not 0 <= old_size <= n:
        raise MerkleProofError(f"old size {old_size} is outside a tree of size {n}")
    if old_size in (0, n):
        return []
    return _subproof(old_size, mth or _direct(leaves), 0, n, True)


def _subproof(m: int, sub: Callable[[int, int], bytes], lo: int, hi: int, b: bool) -> list[bytes]:
    n = hi - lo
    if m == n:
        return [] if b else [sub(lo, hi)]
    k = _split(n)
    if m <= k:
        return [*_subproof(m, sub, lo, lo + k, b), sub(lo + k, hi)]
    return [*_subproof(m - k, sub, lo + k, hi, False), sub(lo, lo + k)]


def verify_inclusion(
    index: int, size: int, leaf: bytes, proof: Sequence[bytes], root: bytes
) -> None:
    """Raise :class:`MerkleProofError` unless ``proof`` shows ``leaf`` at ``index`` under ``root``.

    RFC 9162 section 2.1.3.2.
    """
    if not 0 <= index < size:
        raise MerkleProofError(f"leaf index {index} is outside a tree of size {size}")
    fn, sn = index, size - 1
    r = leaf
    for p in proof:
        if sn == 0:
            raise MerkleProofError("inclusion proof is longer than the tree is deep")
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn & 1 == 0 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise MerkleProofError("inclusion proof is shorter than the tree is deep")
    if r != root:
        raise MerkleProofError(
            f"inclusion proof for leaf {index} does not lead to the root "
            f"{root.hex()[:16]}... (computed {r.hex()[:16]}...)"
        )


def verify_consistency(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> None:
    """Raise :class:`MerkleProofError` unless ``proof`` shows the old tree is a prefix of the new.

    RFC 9162 section 2.1.4.2.
    """
    if not 0 <= old_size <= new_size:
        raise MerkleProofError(f"old size {old_size} is larger than the new size {new_size}")
    if old_size == new_size:
        if proof:
            raise MerkleProofError("consistency proof between equal sizes must be empty")
        if old_root != new_root:
            raise MerkleProofError(
                f"two trees of size {old_size} have different roots (history rewritten)"
            )
        return
    if old_size == 0:
        if proof:
            raise MerkleProofError("consistency proof from the empty tree must be empty")
        return
    if not proof:
        raise MerkleProofError("consistency proof is empty")
    path = list(proof)
    if old_size & (old_size - 1) == 0:  # a power of two: the old root is itself a node
        path.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            raise MerkleProofError("consistency proof is longer than expected")
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while fn & 1 == 0 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise MerkleProofError("consistency proof is shorter than expected")
    if fr != old_root:
        raise MerkleProofError(
            f"consistency proof does not reproduce the old root of size {old_size} "
            "(history before it was rewritten)"
        )
    if sr != new_root:
        raise MerkleProofError(
            f"consistency proof does not reproduce the new root of size {new_size}"
        )
