"""Where the ledger's key and witness copies live: ``mamori.toml [ledger]`` and the environment.

The environment wins over the file (``MAMORI_LEDGER_KEY``, ``MAMORI_LEDGER_WITNESS_DIR``,
``MAMORI_LEDGER_WITNESS_URL``, ``MAMORI_LEDGER_ORIGIN``); relative paths in the file are
relative to the repository root.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from mamori.errors import ConfigError

__all__ = ["LedgerSettings"]

KEY_ENV = "MAMORI_LEDGER_KEY"
WITNESS_ENV = "MAMORI_LEDGER_WITNESS_DIR"
WITNESS_URL_ENV = "MAMORI_LEDGER_WITNESS_URL"
ORIGIN_ENV = "MAMORI_LEDGER_ORIGIN"


@dataclass(frozen=True, kw_only=True)
class LedgerSettings:
    key_path: Path
    witness_dir: Path | None
    origin: str
    # An HTTP witness (see mamori.ledger.witness): every checkpoint is POSTed to it.
    witness_url: str | None = None

    @classmethod
    def load(cls, root: Path) -> LedgerSettings:
        root = root.resolve()
        section: dict[str, object] = {}
        path = root / "mamori.toml"
        if path.is_file():
            try:
                data = tomllib.loads(path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
                raise ConfigError(f"cannot read {path}: {e}") from e
            raw = data.get("ledger", {})
            if not isinstance(raw, dict):
                raise ConfigError(f"{path}: [ledger] must be a table")
            section = raw

        def pick(env: str, key: str) -> str | None:
            value = os.environ.get(env) or section.get(key)
            if value is not None and not isinstance(value, str):
                raise ConfigError(f"mamori.toml [ledger] {key} must be a string")
            return value or None

        def resolve(p: str) -> Path:
            q = Path(p).expanduser()
            return q if q.is_absolute() else root / q

        key = pick(KEY_ENV, "key")
        witness = pick(WITNESS_ENV, "witness_dir")
        witness_url = pick(WITNESS_URL_ENV, "witness_url")
        if witness_url is not None and not re.match(r"https?://[^/\s]+", witness_url):
            raise ConfigError(
                f"ledger witness_url {witness_url!r} must be an http:// or https:// URL"
            )
        # The origin names the log in every checkpoint; by default the repository's path, so
        # that two repositories' checkpoints can never be confused.
        default_origin = "mamori.local/" + re.sub(r"[\s+]", "_", root.as_posix().lstrip("/"))
        origin = pick(ORIGIN_ENV, "origin") or default_origin
        # C2SP signed-note key names cannot hold whitespace or "+" (the verifier key separator).
        if re.search(r"[\s+]", origin):
            raise ConfigError(f"ledger origin {origin!r} must not contain spaces or '+'")
        return cls(
            key_path=resolve(key) if key else root / ".mamori" / "keys" / "ledger.key",
            witness_dir=resolve(witness) if witness else None,
            origin=origin,
            witness_url=witness_url,
        )
