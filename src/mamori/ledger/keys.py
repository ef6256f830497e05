"""Signing keys for checkpoints and attestations, behind the :class:`Signer` protocol.

The default signer is an Ed25519 key in a PEM file (PKCS#8, unencrypted) created on first use
with mode 0600 in a 0700 directory. An HSM or KMS plugs in by implementing :class:`Signer`:
only ``name``, ``public_key`` and ``sign`` are needed, the private key never has to leave it.

Key ids follow C2SP signed-note: the first 4 bytes of
``SHA-256(name || 0x0A || 0x01 || raw 32-byte public key)`` (0x01 = the Ed25519 algorithm).
"""

from __future__ import annotations

import base64
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, runtime_checkable

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from mamori.errors import ConfigError, LedgerTamperedError

__all__ = [
    "ED25519_ALG",
    "Ed25519FileSigner",
    "KeyError_",
    "PublicKey",
    "Signer",
    "key_id",
    "load_or_create_signer",
]

ED25519_ALG = 0x01


class KeyError_(ConfigError):  # trailing underscore: KeyError is a builtin
    """A signing key cannot be read, created or used."""


def key_id(name: str, public_key: bytes) -> bytes:
    """The C2SP signed-note key id (4 bytes) of an Ed25519 key."""
    return hashlib.sha256(
        name.encode("utf-8") + b"\n" + bytes([ED25519_ALG]) + public_key
    ).digest()[:4]


@dataclass(frozen=True, kw_only=True)
class PublicKey:
    """A verifier key: a name (the note signer's name) and the raw Ed25519 public key."""

    name: str
    raw: bytes

    @property
    def key_id(self) -> bytes:
        return key_id(self.name, self.raw)

    @property
    def vkey(self) -> str:
        """The note verifier key text: ``<name>+<hex keyid>+<base64(0x01 || key)>``."""
        encoded = base64.b64encode(bytes([ED25519_ALG]) + self.raw).decode("ascii")
        return f"{self.name}+{self.key_id.hex()}+{encoded}"

    @classmethod
    def from_vkey(cls, text: str) -> PublicKey:
        try:
            name, hexid, encoded = text.strip().split("+", 2)
            blob = base64.b64decode(encoded, validate=True)
        except ValueError as e:
            raise KeyError_(f"not a verifier key (name+keyid+base64): {text[:40]!r}") from e
        if len(blob) != 33 or blob[0] != ED25519_ALG:
            raise KeyError_("verifier key is not an Ed25519 key")
        key = cls(name=name, raw=blob[1:])
        if key.key_id.hex() != hexid:
            raise KeyError_(f"verifier key {name}: key id {hexid} does not match the key")
        return key

    def verify(self, signature: bytes, message: bytes) -> bool:
        try:
            Ed25519PublicKey.from_public_bytes(self.raw).verify(signature, message)
        except (InvalidSignature, ValueError):
            return False
        return True


@runtime_checkable
class Signer(Protocol):
    """Anything that can sign with an Ed25519 key (a file, an HSM, a KMS)."""

    @property
    def public_key(self) -> PublicKey: ...

    def sign(self, message: bytes) -> bytes:
        """The 64-byte Ed25519 signature of ``message``."""
        ...


class Ed25519FileSigner:
    """An Ed25519 private key held in memory (loaded from, or created in, a PEM file)."""

    def __init__(self, private: Ed25519PrivateKey, *, name: str, path: Path | None = None) -> None:
        self._private = private
        self.path = path
        raw = private.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        self._public = PublicKey(name=name, raw=raw)

    @property
    def public_key(self) -> PublicKey:
        return self._public

    def sign(self, message: bytes) -> bytes:
        return self._private.sign(message)

    @classmethod
    def generate(cls, *, name: str) -> Ed25519FileSigner:
        return cls(Ed25519PrivateKey.generate(), name=name)

    @classmethod
    def load(cls, path: Path, *, name: str) -> Ed25519FileSigner:
        try:
            data = path.read_bytes()
        except OSError as e:
            raise KeyError_(f"cannot read the ledger key {path}: {e.strerror or e}") from e
        try:
            private = serialization.load_pem_private_key(data, password=None)
        except (ValueError, TypeError, UnsupportedAlgorithm) as e:
            raise KeyError_(f"{path} is not an unencrypted PEM private key: {e}") from e
        if not isinstance(private, Ed25519PrivateKey):
            raise KeyError_(f"{path} is not an Ed25519 key")
        return cls(private, name=name, path=path)

    def save(self, path: Path) -> None:
        """Write the key with owner-only permissions (0600, directory 0700), never replacing
        an existing file."""
        pem = self._private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        try:
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            # O_EXCL: two processes creating the key at once must not overwrite each other's.
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as fh:
                fh.write(pem)
                fh.flush()
                os.fsync(fh.fileno())
        except OSError as e:
            raise KeyError_(f"cannot write the ledger key {path}: {e.strerror or e}") from e
        self.path = path


def load_or_create_signer(path: Path, *, name: str) -> Ed25519FileSigner:
    """The key at ``path``; created (0600) when there is none yet."""
    if not path.exists():
        signer = Ed25519FileSigner.generate(name=name)
        try:
            signer.save(path)
        except KeyError_:
            if not path.exists():
                raise
            # Another process created it first: use theirs.
        else:
            return signer
    mode = path.stat().st_mode & 0o777
    if mode & 0o077:
        raise KeyError_(
            f"the ledger key {path} is readable by others (mode {mode:o})",
            hint=f"chmod 600 {path}",
        )
    return Ed25519FileSigner.load(path, name=name)


def bad_signature(what: str) -> LedgerTamperedError:
    return LedgerTamperedError(f"{what}: signature does not verify")
