"""Stable finding fingerprints.

A fingerprint ignores line numbers so that baselines and suppressions survive unrelated edits:
it hashes the CWE, the file, the enclosing scope, the normalised text of the flagged line and
that text's occurrence index within the scope. Two engines that flag the same CWE on the same
line therefore agree, which is what cross-engine de-duplication relies on.
"""

from __future__ import annotations

import hashlib
import re

from mamori.domain import Fingerprint

_WS = re.compile(r"\s+")

FINGERPRINT_VERSION = "mamori/v1"


def normalise_line(text: str) -> str:
    return _WS.sub(" ", text).strip()


def fingerprint(
    *, cwe: int, path: str, scope: str, line_text: str, occurrence: int = 0
) -> Fingerprint:
    """Return the fingerprint of a finding (hex SHA-256, 32 chars)."""
    material = "\x1f".join(
        [FINGERPRINT_VERSION, f"CWE-{cwe}", path, scope, normalise_line(line_text), str(occurrence)]
    )
    return Fingerprint(hashlib.sha256(material.encode("utf-8")).hexdigest()[:32])
