"""C2SP checkpoints in the signed-note format.

A checkpoint body (C2SP tlog-checkpoint) is::

    <origin>
    <tree size, decimal>
    <root hash, base64>
    time <ISO 8601 UTC>            (an extension line: when the checkpoint was made)

and the signed note (C2SP signed-note) appends an empty line and one signature line per
signer: ``— <name> <base64(key id (4 bytes) || Ed25519 signature of the body)>``.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass

from mamori.errors import LedgerTamperedError
from mamori.ledger.keys import PublicKey, Signer

__all__ = ["Checkpoint", "NoteError", "format_checkpoint", "parse_checkpoint", "sign_note"]

SIG_PREFIX = "\u2014 "  # em dash + space


class NoteError(LedgerTamperedError):
    """A checkpoint note is malformed or its signature does not verify."""


@dataclass(frozen=True, kw_only=True)
class Checkpoint:
    origin: str
    size: int
    root: bytes
    time: str
    note: str  # the complete signed note as text

    @property
    def body(self) -> str:
        return self.note.split("\n\n", 1)[0] + "\n"


def format_body(*, origin: str, size: int, root: bytes, time: str) -> str:
    if not origin or "\n" in origin:
        raise NoteError("a checkpoint origin must be one non-empty line")
    return f"{origin}\n{size}\n{base64.b64encode(root).decode('ascii')}\ntime {time}\n"


def sign_note(body: str, signer: Signer) -> str:
    key = signer.public_key
    sig = signer.sign(body.encode("utf-8"))
    blob = base64.b64encode(key.key_id + sig).decode("ascii")
    return f"{body}\n{SIG_PREFIX}{key.name} {blob}\n"


def format_checkpoint(
    *, origin: str, size: int, root: bytes, time: str, signer: Signer
) -> Checkpoint:
    body = format_body(origin=origin, size=size, root=root, time=time)
    return Checkpoint(origin=origin, size=size, root=root, time=time, note=sign_note(body, signer))


def parse_checkpoint(note: str, key: PublicKey | None = None) -> Checkpoint:
    """Parse a signed checkpoint; with ``key``, require a valid signature by that key.

    Raises :class:`NoteError` naming what is wrong (format, unknown signer, bad signature).
    """
    body, sep, _ = note.partition("\n\n")
    if not sep:
        raise NoteError("checkpoint note has no signature block")
    lines = body.split("\n")
    if len(lines) < 3:
        raise NoteError("checkpoint body must have origin, tree size and root hash lines")
    origin, size_text, root_text = lines[0], lines[1], lines[2]
    if not size_text.isdigit() or (size_text != "0" and size_text.startswith("0")):
        raise NoteError(f"checkpoint tree size {size_text!r} is not a decimal number")
    try:
        root = base64.b64decode(root_text, validate=True)
    except binascii.Error as e:
        raise NoteError("checkpoint root hash is not base64") from e
    if len(root) != 32:
        raise NoteError("checkpoint root hash is not 32 bytes")
    time = next((x[5:] for x in lines[3:] if x.startswith("time ")), "")
    cp = Checkpoint(origin=origin, size=int(size_text), root=root, time=time, note=note)
    if key is not None:
        verify_note(note, key)
    return cp


def verify_note(note: str, key: PublicKey) -> None:
    body, _, sigs = note.partition("\n\n")
    message = (body + "\n").encode("utf-8")
    seen_name = False
    for line in sigs.split("\n"):
        if not line:
            continue
        if not line.startswith(SIG_PREFIX):
            raise NoteError(f"malformed signature line {line[:40]!r}")
        name, _, blob_text = line[len(SIG_PREFIX) :].rpartition(" ")
        try:
            blob = base64.b64decode(blob_text, validate=True)
        except binascii.Error as e:
            raise NoteError(f"signature of {name!r} is not base64") from e
        if name != key.name:
            continue
        seen_name = True
        if len(blob) != 68 or blob[:4] != key.key_id:
            continue
        if key.verify(blob[4:], message):
            return
        raise NoteError(f"signature by {key.name} (key {key.key_id.hex()}) does not verify")
    if seen_name:
        raise NoteError(
            f"signed by {key.name} but not with key {key.key_id.hex()} (wrong or rotated key)"
        )
    raise NoteError(f"not signed by {key.name} (key {key.key_id.hex()})")
