"""C2SP signed notes and keys: exact format, key ids, forged signatures, wrong keys, files."""

from __future__ import annotations

import base64
import hashlib
import os
import stat
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from mamori.ledger.keys import Ed25519FileSigner, KeyError_, PublicKey, load_or_create_signer
from mamori.ledger.note import NoteError, format_checkpoint, parse_checkpoint
from mamori.ledger.settings import LedgerSettings


def test_checkpoint_text_follows_c2sp() -> None:
    signer = Ed25519FileSigner.generate(name="example.com/log")
    root = hashlib.sha256(b"root").digest()
    cp = format_checkpoint(
        origin="example.com/log", size=42, root=root, time="2026-01-01T00:00:00Z", signer=signer
    )
    body, sig_block = cp.note.split("\n\n")
    assert body.split("\n") == [
        "example.com/log",
        "42",
        base64.b64encode(root).decode(),
        "time 2026-01-01T00:00:00Z",
    ]
    assert sig_block.startswith("\u2014 example.com/log ") and sig_block.endswith("\n")
    blob = base64.b64decode(sig_block.strip().rsplit(" ", 1)[1])
    pub = signer.public_key
    # key id = SHA-256(name || 0x0A || 0x01 || key)[:4]; signature over the body and its newline.
    assert blob[:4] == hashlib.sha256(b"example.com/log\n\x01" + pub.raw).digest()[:4]
    Ed25519PublicKey.from_public_bytes(pub.raw).verify(blob[4:], (body + "\n").encode())
    parsed = parse_checkpoint(cp.note, pub)
    assert (parsed.origin, parsed.size, parsed.root) == ("example.com/log", 42, root)


def test_forged_and_wrong_key_signatures_are_named() -> None:
    signer = Ed25519FileSigner.generate(name="log")
    cp = format_checkpoint(origin="log", size=3, root=b"\x00" * 32, time="t", signer=signer)
    forged = cp.note.replace("\n3\n", "\n4\n")  # the body changed after signing
    with pytest.raises(NoteError, match="does not verify"):
        parse_checkpoint(forged, signer.public_key)
    other = Ed25519FileSigner.generate(name="log").public_key
    with pytest.raises(NoteError, match=r"not with key .* \(wrong or rotated key\)"):
        parse_checkpoint(cp.note, other)
    stranger = Ed25519FileSigner.generate(name="someone-else").public_key
    with pytest.raises(NoteError, match="not signed by someone-else"):
        parse_checkpoint(cp.note, stranger)
    with pytest.raises(NoteError, match="no signature block"):
        parse_checkpoint("log\n3\nAAAA\n", signer.public_key)


def test_verifier_key_round_trip() -> None:
    key = Ed25519FileSigner.generate(name="mamori.local/x_y").public_key
    assert PublicKey.from_vkey(key.vkey) == key
    name, _, rest = key.vkey.split("+", 2)
    with pytest.raises(KeyError_, match="does not match"):
        PublicKey.from_vkey(f"{name}+00000000+{rest}")


def test_key_created_owner_only_and_reloaded(tmp_path: Path) -> None:
    path = tmp_path / "keys" / "ledger.key"
    first = load_or_create_signer(path, name="log")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    again = load_or_create_signer(path, name="log")
    assert again.public_key == first.public_key
    os.chmod(path, 0o644)
    with pytest.raises(KeyError_, match="readable by others"):
        load_or_create_signer(path, name="log")
    os.chmod(path, 0o600)
    path.write_text("not a key")
    with pytest.raises(KeyError_, match="not an unencrypted PEM"):
        load_or_create_signer(path, name="log")


def test_settings_from_file_and_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MAMORI_LEDGER_KEY", raising=False)
    monkeypatch.delenv("MAMORI_LEDGER_WITNESS_DIR", raising=False)
    monkeypatch.delenv("MAMORI_LEDGER_ORIGIN", raising=False)
    default = LedgerSettings.load(tmp_path)
    assert default.key_path == tmp_path.resolve() / ".mamori" / "keys" / "ledger.key"
    assert default.witness_dir is None and "+" not in default.origin
    (tmp_path / "mamori.toml").write_text('[ledger]\nwitness_dir = "w"\nkey = "k/key.pem"\n')
    configured = LedgerSettings.load(tmp_path)
    assert configured.witness_dir == tmp_path.resolve() / "w"
    assert configured.key_path == tmp_path.resolve() / "k" / "key.pem"
    monkeypatch.setenv("MAMORI_LEDGER_KEY", str(tmp_path / "env.key"))
    monkeypatch.setenv("MAMORI_LEDGER_WITNESS_DIR", str(tmp_path / "wenv"))
    env = LedgerSettings.load(tmp_path)
    assert env.key_path == tmp_path / "env.key" and env.witness_dir == tmp_path / "wenv"
