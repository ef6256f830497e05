#!/usr/bin/env python3
"""Verify a Mamori evidence bundle with nothing but Python 3.11+ and ``cryptography``.

Usage: ``python verify.py bundle.zip [--key VERIFIER_KEY]``. Exit status 0 when every check
passes, 1 with the first problem otherwise. No database and no network are used.

What is checked (see docs/ledger.md in the Mamori repository):

* the signing keys: the first ``ledger.key.registered`` event, then each ``ledger.key.rotated``
  event endorsed by the previous key; with ``--key``, that key must be one of them;
* every checkpoint (C2SP signed note) is signed by the key active at its tree size, and each is
  consistent with the one before it (RFC 9162 consistency proofs);
* every event is in the latest checkpoint (RFC 9162 inclusion proof of
  ``SHA-256(0x00 || the event's RFC 8785 canonical JSON)``) at index ``seq - 1``;
* every attestation's DSSE signature, that its subject is the SHA-256 of the included patch
  diff, and its embedded checkpoint and inclusion proof.

This file is self-contained on purpose (it is copied into every bundle); keep it so.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import sys
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

FORMAT = "mamori-evidence/v1"
SIG_PREFIX = "\u2014 "
STATEMENT_TYPE = "https://in-toto.io/Statement/v1"
PREDICATE_TYPE = "https://mamori.dev/attestation/patch/v1"


class VerificationError(Exception):
    """The first problem found; the message names the file, event or checkpoint."""


def _sha(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def _node(left: bytes, right: bytes) -> bytes:
    return _sha(b"\x01" + left + right)


# --- RFC 9162 proofs -----------------------------------------------------------------------
def verify_inclusion(
    index: int, size: int, leaf: bytes, proof: Sequence[bytes], root: bytes
) -> bool:
    if not 0 <= index < size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = _node(p, r)
            if not fn & 1:
                while fn & 1 == 0 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = _node(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def verify_consistency(
    m: int, n: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> bool:
    if not 0 <= m <= n:
        return False
    if m == n:
        return not proof and old_root == new_root
    if m == 0:
        return not proof
    if not proof:
        return False
    path = list(proof)
    if m & (m - 1) == 0:
        path.insert(0, old_root)
    fn, sn = m - 1, n - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = _node(c, fr), _node(c, sr)
            if not fn & 1:
                while fn & 1 == 0 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = _node(sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == old_root and sr == new_root


# --- keys and signed notes -----------------------------------------------------------------
@dataclass(frozen=True)
class Key:
    name: str
    raw: bytes

    @property
    def key_id(self) -> bytes:
        return _sha(self.name.encode() + b"\n\x01" + self.raw)[:4]

    @property
    def vkey(self) -> str:
        encoded = base64.b64encode(b"\x01" + self.raw).decode()
        return f"{self.name}+{self.key_id.hex()}+{encoded}"

    def verify(self, sig: bytes, message: bytes) -> bool:
        try:
            Ed25519PublicKey.from_public_bytes(self.raw).verify(sig, message)
        except (InvalidSignature, ValueError):
            return False
        return True


def parse_vkey(text: str) -> Key:
    try:
        name, hexid, encoded = text.strip().split("+", 2)
        blob = base64.b64decode(encoded, validate=True)
    except (ValueError, binascii.Error) as e:
        raise VerificationError(f"not a verifier key: {text[:40]!r}") from e
    if len(blob) != 33 or blob[0] != 1:
        raise VerificationError("verifier key is not an Ed25519 key")
    key = Key(name, blob[1:])
    if key.key_id.hex() != hexid:
        raise VerificationError(f"verifier key {name}: key id {hexid} does not match the key")
    return key


@dataclass(frozen=True)
class Note:
    origin: str
    size: int
    root: bytes


def parse_note(text: str, key: Key, label: str) -> Note:
    body, sep, sigs = text.partition("\n\n")
    lines = body.split("\n")
    if not sep or len(lines) < 3 or not lines[1].isdigit():
        raise VerificationError(f"{label}: not a C2SP checkpoint")
    try:
        root = base64.b64decode(lines[2], validate=True)
    except binascii.Error as e:
        raise VerificationError(f"{label}: root hash is not base64") from e
    message = (body + "\n").encode()
    for line in sigs.split("\n"):
        if not line.startswith(SIG_PREFIX):
            continue
        name, _, blob_text = line[len(SIG_PREFIX) :].rpartition(" ")
        try:
            blob = base64.b64decode(blob_text, validate=True)
        except binascii.Error:
            continue
        if name == key.name and blob[:4] == key.key_id:
            if len(blob) == 68 and key.verify(blob[4:], message):
                return Note(lines[0], int(lines[1]), root)
            raise VerificationError(
                f"{label}: signature by key {key.key_id.hex()} does not verify (forged)"
            )
    raise VerificationError(
        f"{label}: not signed by key {key.key_id.hex()} (wrong key or forged signature)"
    )


def key_timeline(events: list[dict[str, Any]]) -> list[tuple[int, Key]]:
    timeline: list[tuple[int, Key]] = []
    for e in events:
        kind = e.get("kind")
        if kind not in ("ledger.key.registered", "ledger.key.rotated"):
            continue
        new = parse_vkey(str(e["payload"].get("key", "")))
        label = f"event {e['seq']} ({kind})"
        if kind == "ledger.key.registered" and timeline:
            raise VerificationError(f"{label}: a second key registered without a rotation")
        if kind == "ledger.key.rotated":
            if not timeline:
                raise VerificationError(f"{label}: a rotation with no previous key")
            message = b"mamori ledger key rotation\n" + new.vkey.encode() + b"\n"
            try:
                sig = base64.b64decode(str(e["payload"].get("endorsement", "")), validate=True)
            except binascii.Error:
                sig = b""
            if not timeline[-1][1].verify(sig, message):
                raise VerificationError(f"{label}: not endorsed by the previous key (forged)")
        timeline.append((int(e["seq"]), new))
    return timeline


def active_key(timeline: list[tuple[int, Key]], size: int) -> Key | None:
    found = None
    for seq, key in timeline:
        if seq <= size:
            found = key
    return found


# --- DSSE ----------------------------------------------------------------------------------
def pae(payload_type: str, payload: bytes) -> bytes:
    t = payload_type.encode()
    return b"DSSEv1 %d %s %d %s" % (len(t), t, len(payload), payload)


def verify_dsse(envelope: dict[str, Any], keys: list[Key], label: str) -> dict[str, Any]:
    try:
        payload = base64.b64decode(envelope["payload"], validate=True)
        message = pae(str(envelope["payloadType"]), payload)
        signatures = list(envelope["signatures"])
    except (KeyError, TypeError, binascii.Error) as e:
        raise VerificationError(f"{label}: malformed DSSE envelope") from e
    by_id = {k.key_id.hex(): k for k in keys}
    for s in signatures:
        key = by_id.get(str(s.get("keyid")))
        if key is None:
            continue
        try:
            sig = base64.b64decode(s.get("sig", ""), validate=True)
        except binascii.Error:
            sig = b""
        if not key.verify(sig, message):
            raise VerificationError(f"{label}: DSSE signature does not verify (forged)")
        statement: dict[str, Any] = json.loads(payload)
        return statement
    raise VerificationError(f"{label}: not signed by a known key (wrong key)")


# --- the bundle ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Result:
    events: int
    checkpoints: int
    attestations: int
    keys: tuple[str, ...]
    run_id: str


def _hex_list(items: Any) -> list[bytes]:
    return [bytes.fromhex(str(x)) for x in items]


def verify_bundle(path: str, pinned: str | None = None) -> Result:
    """Verify the bundle at ``path``; raise :class:`VerificationError` at the first problem."""
    try:
        zf = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as e:
        raise VerificationError(f"{path}: not a readable zip file: {e}") from e
    with zf:
        names = set(zf.namelist())

        def read(name: str) -> bytes:
            if name not in names:
                raise VerificationError(f"the bundle has no {name}")
            return zf.read(name)

        manifest = json.loads(read("manifest.json"))
        if manifest.get("format") != FORMAT:
            raise VerificationError(f"manifest.json: not a {FORMAT} bundle")
        lines = [x for x in read("events.jsonl").split(b"\n") if x]
        events = [json.loads(x) for x in lines]
        timeline = key_timeline(events)
        if not timeline:
            raise VerificationError("the bundle records no signing key")
        keys = [k for _, k in timeline]
        listed = [x for x in read("public_keys.txt").decode().split("\n") if x]
        if listed != [k.vkey for k in keys]:
            raise VerificationError("public_keys.txt differs from the keys recorded in the ledger")
        if pinned is not None:
            want = parse_vkey(pinned)
            if not any(k.raw == want.raw for k in keys):
                raise VerificationError(
                    f"the ledger is not signed by the expected key {want.key_id.hex()} (wrong key)"
                )

        notes = sorted(n for n in names if n.startswith("checkpoints/") and n.endswith(".note"))
        if not notes:
            raise VerificationError("the bundle has no checkpoint")
        checkpoints: list[Note] = []
        consistency = json.loads(read("proofs/consistency.json"))
        for i, name in enumerate(notes):
            text = read(name).decode()
            size_line = text.split("\n")[1] if text.count("\n") > 1 else ""
            key = active_key(timeline, int(size_line) if size_line.isdigit() else 0)
            if key is None:
                raise VerificationError(f"{name}: no signing key recorded before it")
            note = parse_note(text, key, name)
            if checkpoints:
                prev = checkpoints[-1]
                proof = consistency[i - 1] if i - 1 < len(consistency) else {}
                ok = (
                    proof.get("old_size") == prev.size
                    and proof.get("new_size") == note.size
                    and verify_consistency(
                        prev.size, note.size, prev.root, note.root, _hex_list(proof.get("path", []))
                    )
                )
                if not ok:
                    raise VerificationError(
                        f"{name}: not consistent with {notes[i - 1]} (history rewritten or "
                        "log truncated)"
                    )
            checkpoints.append(note)
        latest = checkpoints[-1]

        inclusion = {int(p["seq"]): p for p in json.loads(read("proofs/inclusion.json"))}
        for line, event in zip(lines, events, strict=True):
            seq = int(event["seq"])
            label = f"event {seq} ({event.get('kind')})"
            proof = inclusion.get(seq)
            if proof is None:
                raise VerificationError(f"{label}: no inclusion proof")
            if proof.get("tree_size") != latest.size:
                raise VerificationError(f"{label}: proof is not for the latest checkpoint")
            leaf = _sha(b"\x00" + line)
            if not verify_inclusion(
                seq - 1, latest.size, leaf, _hex_list(proof["path"]), latest.root
            ):
                raise VerificationError(
                    f"{label}: not included in the latest checkpoint (edited, inserted or "
                    "reordered)"
                )

        attestations = sorted(n for n in names if n.startswith("attestations/"))
        for name in attestations:
            statement = verify_dsse(json.loads(read(name)), keys, name)
            if statement.get("_type") != STATEMENT_TYPE:
                raise VerificationError(f"{name}: not an in-toto Statement v1")
            patch_id = name.removeprefix("attestations/").removesuffix(".dsse.json")
            diff = read(f"patches/{patch_id}.diff")
            digests = {s.get("name"): s.get("digest", {}) for s in statement.get("subject", [])}
            if digests.get("patch.diff", {}).get("sha256") != hashlib.sha256(diff).hexdigest():
                raise VerificationError(
                    f"{name}: attests a different patch (subject SHA-256 differs from "
                    f"patches/{patch_id}.diff)"
                )
            led = statement.get("predicate", {}).get("ledger", {})
            cp_text = str(led.get("checkpoint", ""))
            size_line = cp_text.split("\n")[1] if cp_text.count("\n") > 1 else ""
            key = active_key(timeline, int(size_line) if size_line.isdigit() else 0)
            if key is None:
                raise VerificationError(f"{name}: its checkpoint has no signing key")
            cp = parse_note(cp_text, key, f"{name} checkpoint")
            try:
                ok = verify_inclusion(
                    int(led["leaf_index"]),
                    cp.size,
                    bytes.fromhex(led["leaf_hash"]),
                    _hex_list(led["inclusion_proof"]),
                    cp.root,
                )
            except (KeyError, ValueError, TypeError):
                ok = False
            if not ok:
                raise VerificationError(f"{name}: its ledger inclusion proof does not verify")
            delivered = next(
                (
                    e
                    for e, ln in zip(events, lines, strict=True)
                    if int(e["seq"]) == int(led["leaf_index"]) + 1
                    and _sha(b"\x00" + ln).hex() == led["leaf_hash"]
                ),
                None,
            )
            if delivered is None or delivered.get("subject") != patch_id:
                raise VerificationError(
                    f"{name}: its ledger event is not this patch's delivery in the bundle"
                )
        return Result(
            events=len(events),
            checkpoints=len(checkpoints),
            attestations=len(attestations),
            keys=tuple(k.vkey for k in keys),
            run_id=str(manifest.get("run_id", "")),
        )


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    pinned = None
    if "--key" in args:
        i = args.index("--key")
        if i + 1 >= len(args):
            print("usage: verify.py BUNDLE.zip [--key VERIFIER_KEY]", file=sys.stderr)
            return 2
        pinned = args[i + 1]
        del args[i : i + 2]
    if len(args) != 1:
        print("usage: verify.py BUNDLE.zip [--key VERIFIER_KEY]", file=sys.stderr)
        return 2
    try:
        result = verify_bundle(args[0], pinned)
    except VerificationError as e:
        print(f"FAILED: {e}", file=sys.stderr)
        return 1
    print(
        f"OK: run {result.run_id}: {result.events} events, {result.checkpoints} checkpoints, "
        f"{result.attestations} attestations; signed by {result.keys[-1]}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
