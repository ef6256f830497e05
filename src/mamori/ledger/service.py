"""Checkpoints, proofs, key rotation and the full audit of the ledger.

The signing key's history is itself in the log: ``ledger.key.registered`` records the first
key (its C2SP verifier key) and ``ledger.key.rotated`` each later one, endorsed by a signature
of the previous key. A checkpoint of size ``n`` must be signed by the key active at event ``n``.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from mamori.errors import ConfigError, LedgerTamperedError
from mamori.ledger.keys import (
    Ed25519FileSigner,
    KeyError_,
    PublicKey,
    Signer,
    load_or_create_signer,
)
from mamori.ledger.log import Frontier, event_leaf
from mamori.ledger.merkle import (
    EMPTY_ROOT,
    MerkleProofError,
    consistency_proof,
    inclusion_proof_from,
    verify_consistency,
    verify_inclusion,
)
from mamori.ledger.note import NoteError, format_checkpoint, parse_checkpoint
from mamori.ledger.settings import LedgerSettings
from mamori.ledger.verify import ChainChecker
from mamori.ledger.witness import (
    DirectoryWitness,
    HttpWitness,
    Witness,
    WitnessCopy,
    WitnessError,
)
from mamori.store.ids import utc_now
from mamori.store.interface import CheckpointRecord, LedgerEvent, Store

__all__ = [
    "KEY_REGISTERED",
    "KEY_ROTATED",
    "WITNESS_FAILED",
    "AuditReport",
    "ConsistencyProof",
    "InclusionProof",
    "Ledger",
    "rotation_message",
]

KEY_REGISTERED = "ledger.key.registered"
KEY_ROTATED = "ledger.key.rotated"
WITNESS_FAILED = "ledger.witness.failed"
ACTOR = "mamori:ledger"

_log = logging.getLogger(__name__)


def rotation_message(new_vkey: str) -> bytes:
    """What the outgoing key signs to endorse its successor."""
    return b"mamori ledger key rotation\n" + new_vkey.encode("utf-8") + b"\n"


@dataclass(frozen=True, kw_only=True)
class InclusionProof:
    seq: int
    leaf_index: int
    tree_size: int
    leaf_hash: str  # hex
    root_hash: str  # hex
    path: tuple[str, ...]  # hex, RFC 9162 audit path (leaf to root)
    checkpoint: str  # the signed note it is proved against


@dataclass(frozen=True, kw_only=True)
class ConsistencyProof:
    old_size: int
    new_size: int
    old_root: str
    new_root: str
    path: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class AuditReport:
    ok: bool
    events_checked: int
    checkpoints_checked: int
    witness_checked: int
    attestations_checked: int
    problem: str | None = None
    keys: tuple[str, ...] = field(default_factory=tuple)  # verifier keys in order of use
    # With a witness configured: ids of local checkpoints it does not hold, apart from those
    # whose publication failed and was recorded (witness_failed).
    unwitnessed: tuple[int, ...] = ()
    witness_failed: tuple[int, ...] = ()


@dataclass(frozen=True, kw_only=True)
class KeyTimeline:
    """The keys recorded in the log: (seq of the event that introduced it, key)."""

    entries: tuple[tuple[int, PublicKey], ...]

    def active_at(self, size: int) -> PublicKey | None:
        active = None
        for seq, key in self.entries:
            if seq <= size:
                active = key
        return active

    def by_id(self, key_id: bytes) -> PublicKey | None:
        return next((k for _, k in self.entries if k.key_id == key_id), None)


def key_timeline(events: list[LedgerEvent]) -> tuple[KeyTimeline, str | None]:
    """The key history and the first problem in it (an unendorsed or badly formed change)."""
    entries: list[tuple[int, PublicKey]] = []
    for e in events:
        if e.kind not in (KEY_REGISTERED, KEY_ROTATED):
            continue
        try:
            new = PublicKey.from_vkey(str(e.payload.get("key", "")))
        except KeyError_ as err:
            return KeyTimeline(entries=tuple(entries)), f"event {e.seq} ({e.kind}): {err.message}"
        if e.kind == KEY_REGISTERED:
            if entries:
                return KeyTimeline(entries=tuple(entries)), (
                    f"event {e.seq} ({e.kind}): a second key registered without a rotation "
                    "endorsed by the previous key"
                )
        else:
            if not entries:
                return KeyTimeline(entries=tuple(entries)), (
                    f"event {e.seq} ({e.kind}): a rotation with no previous key"
                )
            previous = entries[-1][1]
            try:
                sig = base64.b64decode(str(e.payload.get("endorsement", "")), validate=True)
            except ValueError:
                sig = b""
            if not previous.verify(sig, rotation_message(new.vkey)):
                return KeyTimeline(entries=tuple(entries)), (
                    f"event {e.seq} ({e.kind}): the new key is not endorsed by the previous "
                    f"key {previous.key_id.hex()} (forged rotation)"
                )
        entries.append((e.seq, new))
    return KeyTimeline(entries=tuple(entries)), None


class Ledger:
    """The ledger of one store: checkpoints, proofs, keys and verification."""

    def __init__(
        self, store: Store, *, settings: LedgerSettings, signer: Signer | None = None
    ) -> None:
        self.store = store
        self.settings = settings
        self._signer = signer
        # The witness failures of the last checkpoint() (also recorded as events).
        self.witness_failures: list[str] = []

    @classmethod
    def for_root(cls, store: Store, root: Path) -> Ledger:
        return cls(store, settings=LedgerSettings.load(root))

    # --- keys --------------------------------------------------------------------------------
    @property
    def signer(self) -> Signer:
        if self._signer is None:
            self._signer = load_or_create_signer(self.settings.key_path, name=self.settings.origin)
        return self._signer

    def public_key(self) -> PublicKey:
        return self.signer.public_key

    def _key_events(self) -> list[LedgerEvent]:
        return list(self.store.events(kinds=(KEY_REGISTERED, KEY_ROTATED)))

    def _ensure_key_recorded(self) -> None:
        """Record the signer's key as the log's first key if the log has none yet; refuse a
        signer whose key is not the log's active key (fail closed)."""
        timeline, problem = key_timeline(self._key_events())
        if problem:
            raise LedgerTamperedError(problem, hint="run `mamori ledger verify`")
        mine = self.signer.public_key
        active = timeline.entries[-1][1] if timeline.entries else None
        if active is None:
            self.store.record(
                KEY_REGISTERED, actor=ACTOR, subject=mine.key_id.hex(), payload={"key": mine.vkey}
            )
            return
        if active.raw != mine.raw or active.name != mine.name:
            raise ConfigError(
                f"the configured ledger key {mine.key_id.hex()} ({self.settings.key_path}) is "
                f"not the ledger's active key {active.key_id.hex()}",
                hint="restore the key file, or point MAMORI_LEDGER_KEY at it",
            )

    def rotate_key(self, new: Signer | None = None) -> LedgerEvent:
        """Replace the signing key; the rotation is an event endorsed by the old key.

        With no ``new`` signer, a fresh Ed25519 key replaces the key file (the old one is kept
        beside it as ``<name>.<keyid>.retired``, 0600).
        """
        # The outgoing key must be the log's recorded key before it can endorse a successor.
        self._ensure_key_recorded()
        old = self.signer
        path = self.settings.key_path
        fresh = new if new is not None else Ed25519FileSigner.generate(name=self.settings.origin)
        vkey = fresh.public_key.vkey
        endorsement = base64.b64encode(old.sign(rotation_message(vkey))).decode("ascii")
        if new is None:
            assert isinstance(fresh, Ed25519FileSigner)
            retired = path.with_name(f"{path.name}.{old.public_key.key_id.hex()}.retired")
            tmp = path.with_name(f"{path.name}.new")
            if tmp.exists():
                tmp.unlink()
            fresh.save(tmp)
            try:
                os.link(path, retired)
            except FileExistsError:
                pass
            except OSError as e:
                raise KeyError_(f"cannot keep the retired key as {retired}: {e}") from e
            os.replace(tmp, path)
            fresh.path = path
        event = self.store.record(
            KEY_ROTATED,
            actor=ACTOR,
            subject=fresh.public_key.key_id.hex(),
            payload={"key": vkey, "previous": old.public_key.vkey, "endorsement": endorsement},
        )
        self._signer = fresh
        return event

    # --- checkpoints -------------------------------------------------------------------------
    def witnesses(self) -> list[Witness]:
        """The configured second locations for checkpoints (directory, HTTP endpoint)."""
        out: list[Witness] = []
        if self.settings.witness_dir is not None:
            out.append(DirectoryWitness(self.settings.witness_dir))
        if self.settings.witness_url is not None:
            out.append(HttpWitness(self.settings.witness_url))
        return out

    def _resume(self, before: int | None = None) -> Frontier:
        """The tree's frontier at the latest checkpoint (of size <= ``before``, if given) that
        saved one, checked against its signed root; an empty frontier if there is none."""
        candidates = [
            cp
            for cp in self.store.checkpoints()
            if cp.origin == self.settings.origin and (before is None or cp.tree_size <= before)
        ]
        if not candidates:
            return Frontier()
        cp = max(candidates, key=lambda c: (c.tree_size, c.id))
        text = self.store.checkpoint_frontier(cp.id)
        if text is None:
            return Frontier()
        try:
            frontier = Frontier.decode(cp.tree_size, text)
            signed_root = parse_checkpoint(cp.note).root
        except (ValueError, NoteError) as e:
            raise LedgerTamperedError(
                f"checkpoint {cp.id} (size {cp.tree_size}): its saved compact range is "
                f"unusable: {e}",
                hint="run `mamori ledger verify`",
            ) from e
        if frontier.root() != signed_root or cp.root_hash != signed_root.hex():
            raise LedgerTamperedError(
                f"checkpoint {cp.id} (size {cp.tree_size}): its saved compact range does not "
                "lead to its signed root (edited)",
                hint="run `mamori ledger verify`",
            )
        return frontier

    def _extend(self, frontier: Frontier, until: int | None = None) -> Frontier:
        """Append the leaves of the events after ``frontier.size`` (up to ``until``)."""
        for e in self.store.events(after=frontier.size):
            if until is not None and e.seq > until:
                break
            if e.seq != frontier.size + 1:
                raise LedgerTamperedError(
                    f"event {frontier.size + 1} is missing (found {e.seq} after {frontier.size})",
                    hint="run `mamori ledger verify`",
                )
            frontier.append(event_leaf(e))
        return frontier

    def checkpoint(self) -> CheckpointRecord:
        """Sign the current tree head, store it, and hand it to every configured witness.

        Incremental: the tree is resumed from the previous checkpoint's compact range, so the
        cost is the events since then, not the whole log. A witness that fails does not undo
        the checkpoint; the failure is recorded as a ``ledger.witness.failed`` event and kept
        in :attr:`witness_failures`.
        """
        self._ensure_key_recorded()
        head = self.store.ledger_head()
        frontier = self._extend(self._resume())
        if head is not None and frontier.size < head[0]:
            raise LedgerTamperedError(
                f"the ledger has {frontier.size} events but its head records {head[0]} "
                "(log truncated)",
                hint="run `mamori ledger verify`",
            )
        root = frontier.root()
        cp = format_checkpoint(
            origin=self.settings.origin,
            size=frontier.size,
            root=root,
            time=utc_now(),
            signer=self.signer,
        )
        record = self.store.save_checkpoint(
            tree_size=cp.size,
            root_hash=root.hex(),
            origin=cp.origin,
            at=cp.time,
            key_id=self.signer.public_key.key_id.hex(),
            note=cp.note,
            frontier=frontier.encode(),
        )
        self.witness_failures = self._publish(record)
        return record

    def _publish(self, record: CheckpointRecord) -> list[str]:
        failures = []
        for witness in self.witnesses():
            try:
                witness.publish(record.note, tree_size=record.tree_size, root_hash=record.root_hash)
            except WitnessError as e:
                failures.append(e.message)
                # Logged (stderr by default) as well as recorded: a run's checkpoint has no
                # other channel to the person who started it.
                _log.warning("%s (recorded in the ledger as %s)", e.message, WITNESS_FAILED)
                self.store.record(
                    WITNESS_FAILED,
                    actor=ACTOR,
                    subject=str(record.id),
                    payload={
                        "witness": witness.name,
                        "checkpoint": record.id,
                        "tree_size": record.tree_size,
                        "root_hash": record.root_hash,
                        "error": e.message,
                    },
                )
        return failures

    def latest_checkpoint(self) -> CheckpointRecord:
        cps = self.store.checkpoints()
        if not cps:
            from mamori.errors import NotFoundError

            raise NotFoundError(
                "the ledger has no checkpoint yet", hint="run `mamori ledger checkpoint`"
            )
        return cps[-1]

    # --- proofs ------------------------------------------------------------------------------
    def _leaves(self, limit: int | None = None) -> list[bytes]:
        leaves: list[bytes] = []
        for e in self.store.events():
            if limit is not None and len(leaves) >= limit:
                break
            leaves.append(event_leaf(e))
        return leaves

    def prove(self, seq: int, checkpoint: CheckpointRecord | None = None) -> InclusionProof:
        """The inclusion proof of event ``seq`` in ``checkpoint`` (default: the latest).

        The left half of the audit path is the compact range of the events before ``seq``,
        resumed from the last checkpoint before it: the cost is the events from there on.
        """
        cp = checkpoint or self.latest_checkpoint()
        if not 1 <= seq <= cp.tree_size:
            from mamori.errors import NotFoundError

            raise NotFoundError(
                f"event {seq} is not in the checkpoint of size {cp.tree_size}",
                hint="run `mamori ledger checkpoint` to cover newer events",
            )
        index = seq - 1
        left = self._extend(self._resume(before=index), until=index)
        tail = [event_leaf(e) for e in self._events_between(index, cp.tree_size)]
        if left.size + len(tail) < cp.tree_size:
            raise LedgerTamperedError(
                f"the ledger has {left.size + len(tail)} events, fewer than its checkpoint's "
                f"{cp.tree_size} (log truncated)"
            )
        path = inclusion_proof_from(index, left.hashes(), tail)
        root = bytes.fromhex(cp.root_hash)
        try:
            verify_inclusion(index, cp.tree_size, tail[0], path, root)
        except MerkleProofError as e:
            raise LedgerTamperedError(
                f"event {seq} is not included in checkpoint {cp.id}: {e.message}",
                hint="run `mamori ledger verify`",
            ) from e
        return InclusionProof(
            seq=seq,
            leaf_index=index,
            tree_size=cp.tree_size,
            leaf_hash=tail[0].hex(),
            root_hash=cp.root_hash,
            path=tuple(p.hex() for p in path),
            checkpoint=cp.note,
        )

    def _events_between(self, after: int, until: int) -> Iterator[LedgerEvent]:
        expected = after + 1
        for e in self.store.events(after=after):
            if e.seq > until:
                return
            if e.seq != expected:
                raise LedgerTamperedError(
                    f"event {expected} is missing (found {e.seq})",
                    hint="run `mamori ledger verify`",
                )
            expected += 1
            yield e

    def resolve_size(self, ref: str) -> tuple[int, bytes | None]:
        """A consistency endpoint: ``N`` (a tree size) or ``cp:ID`` / ``#ID`` (a checkpoint)."""
        text = ref.strip()
        for prefix in ("cp:", "#"):
            if text.startswith(prefix):
                wanted = text[len(prefix) :]
                for cp in self.store.checkpoints():
                    if str(cp.id) == wanted:
                        return cp.tree_size, bytes.fromhex(cp.root_hash)
                from mamori.errors import NotFoundError

                raise NotFoundError(f"no checkpoint with id {wanted!r}")
        if not text.isdigit():
            raise ConfigError(f"{ref!r} is neither a tree size nor a checkpoint id (cp:ID)")
        return int(text), None

    def consistency(self, old: str, new: str) -> ConsistencyProof:
        old_size, old_root = self.resolve_size(old)
        new_size, new_root = self.resolve_size(new)
        if old_size > new_size:
            raise ConfigError(f"the old size {old_size} is larger than the new size {new_size}")
        leaves = self._leaves(new_size)
        if len(leaves) < new_size:
            raise LedgerTamperedError(
                f"the ledger has {len(leaves)} events, fewer than {new_size} (log truncated)"
            )
        roots: dict[int, bytes] = {}
        f = Frontier()
        for leaf in leaves:
            f.append(leaf)
            if f.size in (old_size, new_size):
                roots[f.size] = f.root()
        roots.setdefault(0, hashlib.sha256(b"").digest())
        computed_old, computed_new = roots[old_size], roots[new_size]
        for size, claimed, computed in (
            (old_size, old_root, computed_old),
            (new_size, new_root, computed_new),
        ):
            if claimed is not None and claimed != computed:
                raise LedgerTamperedError(
                    f"the checkpoint of size {size} has root {claimed.hex()[:16]}... but the "
                    f"ledger's first {size} events hash to {computed.hex()[:16]}... "
                    "(history rewritten)"
                )
        path = consistency_proof(old_size, leaves)
        verify_consistency(old_size, new_size, computed_old, computed_new, path)
        return ConsistencyProof(
            old_size=old_size,
            new_size=new_size,
            old_root=computed_old.hex(),
            new_root=computed_new.hex(),
            path=tuple(p.hex() for p in path),
        )

    # --- audit -------------------------------------------------------------------------------
    def audit(self, *, pinned: PublicKey | None = None) -> AuditReport:
        """Verify every event, every checkpoint (signature, root, consistency with the previous
        one), every witness copy and every attestation; report the first problem.

        One streaming pass over the events checks the chain and computes, from the same
        encoding, the tree roots at every checkpointed size. Every checkpoint's root must be
        the root of the log's first ``size`` events; two checkpoints that both are, are
        consistent (the older tree is a prefix of the newer), so a rewrite of history is named
        at the first checkpoint it breaks.
        """
        counts = {"events": 0, "cps": 0, "witness": 0, "att": 0}

        def fail(problem: str, keys: tuple[str, ...] = ()) -> AuditReport:
            return AuditReport(
                ok=False,
                events_checked=counts["events"],
                checkpoints_checked=counts["cps"],
                witness_checked=counts["witness"],
                attestations_checked=counts["att"],
                problem=problem,
                keys=keys,
            )

        checkpoints = self.store.checkpoints()
        copies: list[WitnessCopy] = []
        for witness in self.witnesses():
            try:
                copies.extend(witness.copies())
            except WitnessError as err:
                return fail(f"{err.message} (unset the witness to verify the local ledger alone)")
        sizes = {cp.tree_size for cp in checkpoints}
        for copy in copies:
            with contextlib.suppress(NoteError):  # an unparsable copy is named below
                sizes.add(parse_checkpoint(copy.note).size)
        head = self.store.ledger_head()
        checker = ChainChecker(head)
        frontier = Frontier()
        roots: dict[int, bytes] = {0: EMPTY_ROOT}
        key_events: list[LedgerEvent] = []
        witness_failed: set[int] = set()
        for e in self.store.events():
            bad = checker.add(e)
            if bad is not None:
                counts["events"] = checker.checked
                return fail(bad.reason)
            frontier.append(checker.leaf)
            if frontier.size in sizes:
                roots[frontier.size] = frontier.root()
            if e.kind in (KEY_REGISTERED, KEY_ROTATED):
                key_events.append(e)
            elif e.kind == WITNESS_FAILED and isinstance(e.payload.get("checkpoint"), int):
                witness_failed.add(e.payload["checkpoint"])
        counts["events"] = checker.checked
        end = checker.finish()
        if end is not None:
            return fail(end.reason)
        n_events = frontier.size

        timeline, key_problem = key_timeline(key_events)
        keys = tuple(k.vkey for _, k in timeline.entries)
        if key_problem:
            return fail(key_problem, keys)
        if pinned is not None and not any(k.raw == pinned.raw for _, k in timeline.entries):
            return fail(
                f"the ledger is not signed by the expected key {pinned.key_id.hex()} "
                "(wrong key, or the whole history was rewritten under another key)",
                keys,
            )

        local: dict[int, tuple[str, bytes]] = {}
        previous: tuple[str, int] | None = None
        for cp in checkpoints:
            label = f"checkpoint {cp.id} (size {cp.tree_size})"
            problem = _check_note(label, cp.note, timeline, roots, n_events)
            if problem:
                return fail(problem, keys)
            parsed = parse_checkpoint(cp.note)
            if (parsed.size, parsed.root.hex(), parsed.origin) != (
                cp.tree_size,
                cp.root_hash,
                cp.origin,
            ):
                return fail(f"{label}: its columns differ from its signed note (edited)", keys)
            if previous is not None and parsed.size < previous[1]:
                return fail(
                    f"{label}: smaller than the previous {previous[0]} (log truncated)", keys
                )
            previous = (label, parsed.size)
            local.setdefault(parsed.size, (label, parsed.root))
            counts["cps"] += 1

        witnessed: set[int] = set()
        for copy in copies:
            try:
                parsed = parse_checkpoint(copy.note)
            except NoteError as err:
                return fail(f"{copy.label}: {err.message}", keys)
            if parsed.origin != self.settings.origin:
                continue  # another log's checkpoint at a shared witness
            problem = _check_signature(copy.label, copy.note, timeline, n_events)
            if problem:
                return fail(problem, keys)
            mine = local.get(parsed.size)
            if mine is not None and mine[1] != parsed.root:
                return fail(
                    f"{copy.label}: the witness holds root {parsed.root.hex()[:16]}... for "
                    f"tree size {parsed.size} but the local {mine[0]} has "
                    f"{mine[1].hex()[:16]}... (the local checkpoints were replaced: history "
                    "rewritten after the witness saw it)",
                    keys,
                )
            if mine is None:
                return fail(
                    f"{copy.label}: the witness holds a checkpoint of size {parsed.size} that "
                    "is missing from the local ledger (checkpoints deleted or replaced)",
                    keys,
                )
            if roots.get(parsed.size) != parsed.root:
                return fail(
                    f"{copy.label}: its root does not match the ledger's first {parsed.size} "
                    "events (history rewritten after it was signed; consistency fails)",
                    keys,
                )
            witnessed.add(parsed.size)
            counts["witness"] += 1
        unwitnessed: tuple[int, ...] = ()
        if self.witnesses():
            unwitnessed = tuple(
                cp.id
                for cp in checkpoints
                if cp.tree_size not in witnessed and cp.id not in witness_failed
            )

        from mamori.ledger.attest import check_attestation

        for att in self.store.attestations():
            problem = check_attestation(self.store, att, timeline)
            if problem:
                return fail(f"attestation {att.id} (patch {att.patch_id}): {problem}", keys)
            counts["att"] += 1
        return AuditReport(
            ok=True,
            events_checked=counts["events"],
            checkpoints_checked=counts["cps"],
            witness_checked=counts["witness"],
            attestations_checked=counts["att"],
            keys=keys,
            unwitnessed=unwitnessed,
            witness_failed=tuple(sorted(witness_failed)),
        )


def _check_signature(label: str, note: str, timeline: KeyTimeline, n_events: int) -> str | None:
    """The problem with ``note``'s form, size or signature (by the key active at its size)."""
    try:
        parsed = parse_checkpoint(note)
    except NoteError as err:
        return f"{label}: {err.message}"
    key = timeline.active_at(parsed.size)
    # Before the key check: truncation may have removed the key's own event.
    if parsed.size > n_events and (key is None or _signed(note, key)):
        return (
            f"{label}: records {parsed.size} events but the ledger has {n_events} (log truncated)"
        )
    if key is None:
        return f"{label}: no signing key is recorded in the ledger before it"
    try:
        parse_checkpoint(note, key)
    except NoteError as err:
        return f"{label}: {err.message} (forged signature or wrong key)"
    return None


def _check_note(
    label: str, note: str, timeline: KeyTimeline, roots: dict[int, bytes], n_events: int
) -> str | None:
    problem = _check_signature(label, note, timeline, n_events)
    if problem:
        return problem
    parsed = parse_checkpoint(note)
    if roots.get(parsed.size) != parsed.root:
        return (
            f"{label}: its root does not match the ledger's first {parsed.size} events "
            "(history rewritten after it was signed; consistency fails)"
        )
    return None


def _signed(note: str, key: PublicKey) -> bool:
    try:
        parse_checkpoint(note, key)
    except NoteError:
        return False
    return True
