"""Checkpoints, proofs, key rotation and the full audit of the ledger.

The signing key's history is itself in the log: ``ledger.key.registered`` records the first
key (its C2SP verifier key) and ``ledger.key.rotated`` each later one, endorsed by a signature
of the previous key. A checkpoint of size ``n`` must be signed by the key active at event ``n``.
"""

from __future__ import annotations

import base64
import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from mamori.errors import ConfigError, LedgerTamperedError
from mamori.ledger.chain import LedgerPayloadError
from mamori.ledger.keys import (
    Ed25519FileSigner,
    KeyError_,
    PublicKey,
    Signer,
    load_or_create_signer,
)
from mamori.ledger.log import Frontier, event_leaf
from mamori.ledger.merkle import (
    MerkleProofError,
    consistency_proof,
    inclusion_proof,
    verify_consistency,
    verify_inclusion,
)
from mamori.ledger.note import NoteError, format_checkpoint, parse_checkpoint
from mamori.ledger.settings import LedgerSettings
from mamori.ledger.verify import LedgerReport, verify_ledger
from mamori.store.ids import utc_now
from mamori.store.interface import CheckpointRecord, LedgerEvent, Store

__all__ = [
    "KEY_REGISTERED",
    "KEY_ROTATED",
    "AuditReport",
    "ConsistencyProof",
    "InclusionProof",
    "Ledger",
    "rotation_message",
]

KEY_REGISTERED = "ledger.key.registered"
KEY_ROTATED = "ledger.key.rotated"
ACTOR = "mamori:ledger"


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

    def _ensure_key_recorded(self, events: list[LedgerEvent]) -> list[LedgerEvent]:
        """Record the signer's key as the log's first key if the log has none yet; refuse a
        signer whose key is not the log's active key (fail closed)."""
        timeline, problem = key_timeline(events)
        if problem:
            raise LedgerTamperedError(problem, hint="run `mamori ledger verify`")
        mine = self.signer.public_key
        active = timeline.entries[-1][1] if timeline.entries else None
        if active is None:
            event = self.store.record(
                KEY_REGISTERED, actor=ACTOR, subject=mine.key_id.hex(), payload={"key": mine.vkey}
            )
            return [*events, event]
        if active.raw != mine.raw or active.name != mine.name:
            raise ConfigError(
                f"the configured ledger key {mine.key_id.hex()} ({self.settings.key_path}) is "
                f"not the ledger's active key {active.key_id.hex()}",
                hint="restore the key file, or point MAMORI_LEDGER_KEY at it",
            )
        return events

    def rotate_key(self, new: Signer | None = None) -> LedgerEvent:
        """Replace the signing key; the rotation is an event endorsed by the old key.

        With no ``new`` signer, a fresh Ed25519 key replaces the key file (the old one is kept
        beside it as ``<name>.<keyid>.retired``, 0600).
        """
        # The outgoing key must be the log's recorded key before it can endorse a successor.
        self._ensure_key_recorded(list(self.store.events()))
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
    def checkpoint(self) -> CheckpointRecord:
        """Sign the current tree head, store it, and copy it to the witness directory."""
        events = self._ensure_key_recorded(list(self.store.events()))
        frontier = Frontier()
        for e in events:
            frontier.append(event_leaf(e))
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
        )
        if self.settings.witness_dir is not None:
            self._witness(record)
        return record

    def _witness(self, record: CheckpointRecord) -> None:
        # One file per checkpoint, never overwritten: the witness keeps every tree head the
        # writer ever signed, so a later rewrite of history cannot be hidden from it.
        directory = self.settings.witness_dir
        assert directory is not None
        try:
            directory.mkdir(parents=True, exist_ok=True)
            name = f"checkpoint-{record.tree_size:012d}-{record.root_hash[:16]}.note"
            target = directory / name
            if not target.exists():
                tmp = directory / f".{name}.tmp"
                tmp.write_text(record.note, encoding="utf-8")
                os.replace(tmp, target)
        except OSError as e:
            raise ConfigError(
                f"cannot write the checkpoint to the witness directory {directory}: {e}"
            ) from e

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
        """The inclusion proof of event ``seq`` in ``checkpoint`` (default: the latest)."""
        cp = checkpoint or self.latest_checkpoint()
        if not 1 <= seq <= cp.tree_size:
            from mamori.errors import NotFoundError

            raise NotFoundError(
                f"event {seq} is not in the checkpoint of size {cp.tree_size}",
                hint="run `mamori ledger checkpoint` to cover newer events",
            )
        leaves = self._leaves(cp.tree_size)
        if len(leaves) < cp.tree_size:
            raise LedgerTamperedError(
                f"the ledger has {len(leaves)} events, fewer than its checkpoint's "
                f"{cp.tree_size} (log truncated)"
            )
        path = inclusion_proof(seq - 1, leaves)
        root = bytes.fromhex(cp.root_hash)
        try:
            verify_inclusion(seq - 1, cp.tree_size, leaves[seq - 1], path, root)
        except MerkleProofError as e:
            raise LedgerTamperedError(
                f"event {seq} is not included in checkpoint {cp.id}: {e.message}",
                hint="run `mamori ledger verify`",
            ) from e
        return InclusionProof(
            seq=seq,
            leaf_index=seq - 1,
            tree_size=cp.tree_size,
            leaf_hash=leaves[seq - 1].hex(),
            root_hash=cp.root_hash,
            path=tuple(p.hex() for p in path),
            checkpoint=cp.note,
        )

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
        one), every witness copy and every attestation; report the first problem."""
        events = list(self.store.events())
        chain: LedgerReport = verify_ledger(events, self.store.ledger_head())
        counts = {"events": chain.events_checked, "cps": 0, "witness": 0, "att": 0}

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

        if not chain.ok:
            assert chain.problem is not None
            return fail(chain.problem.reason)
        leaves: list[bytes] = []
        for e in events:
            try:
                leaves.append(event_leaf(e))
            except LedgerPayloadError as err:
                return fail(f"event {e.seq} ({e.kind}): {err.message}")
        timeline, key_problem = key_timeline(events)
        keys = tuple(k.vkey for _, k in timeline.entries)
        if key_problem:
            return fail(key_problem, keys)
        if pinned is not None and not any(k.raw == pinned.raw for _, k in timeline.entries):
            return fail(
                f"the ledger is not signed by the expected key {pinned.key_id.hex()} "
                "(wrong key, or the whole history was rewritten under another key)",
                keys,
            )

        checkpoints = self.store.checkpoints()
        witness = self._witness_notes()
        sizes = sorted({cp.tree_size for cp in checkpoints} | {size for _, size in witness})
        roots = roots_from(leaves, sizes)
        previous: tuple[str, int, bytes] | None = None
        for cp in checkpoints:
            label = f"checkpoint {cp.id} (size {cp.tree_size})"
            problem = _check_note(label, cp.note, timeline, roots, len(leaves))
            if problem:
                return fail(problem, keys)
            parsed = parse_checkpoint(cp.note)
            if (parsed.size, parsed.root.hex(), parsed.origin) != (
                cp.tree_size,
                cp.root_hash,
                cp.origin,
            ):
                return fail(f"{label}: its columns differ from its signed note (edited)", keys)
            if previous is not None:
                prev_label, prev_size, prev_root = previous
                if parsed.size < prev_size:
                    return fail(
                        f"{label}: smaller than the previous {prev_label} (log truncated)", keys
                    )
                try:
                    verify_consistency(
                        prev_size,
                        parsed.size,
                        prev_root,
                        parsed.root,
                        consistency_proof(prev_size, leaves[: parsed.size]),
                    )
                except MerkleProofError as err:
                    return fail(f"{label}: not consistent with {prev_label}: {err.message}", keys)
            previous = (label, parsed.size, parsed.root)
            counts["cps"] += 1
        for name, _size in witness:
            label = f"witness checkpoint {name}"
            assert self.settings.witness_dir is not None
            try:
                note = (self.settings.witness_dir / name).read_text(encoding="utf-8")
            except OSError as err:
                return fail(f"{label}: cannot be read: {err}", keys)
            problem = _check_note(label, note, timeline, roots, len(leaves))
            if problem:
                return fail(problem, keys)
            counts["witness"] += 1

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
        )

    def _witness_notes(self) -> list[tuple[str, int]]:
        directory = self.settings.witness_dir
        if directory is None or not directory.is_dir():
            return []
        out = []
        for p in sorted(directory.glob("checkpoint-*.note")):
            try:
                size = int(p.name.split("-")[1])
            except (IndexError, ValueError):
                continue
            out.append((p.name, size))
        return out


def roots_from(leaves: list[bytes], sizes: list[int]) -> dict[int, bytes]:
    from mamori.ledger.log import roots_at

    return roots_at(leaves, sizes)


def _check_note(
    label: str, note: str, timeline: KeyTimeline, roots: dict[int, bytes], n_events: int
) -> str | None:
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
