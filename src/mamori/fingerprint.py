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

# CWEs that engines use for the same weakness at different levels of detail (Bandit says "weak
# hash", Mamori's engine "weak password hash"). They fingerprint alike so that triage merges them.
CWE_FAMILY: dict[int, int] = {
    327: 328,  # broken or risky crypto algorithm (as Bandit reports MD5) -> weak hash
    916: 328,  # password hash with insufficient effort -> weak hash
    759: 328,  # one-way hash without a salt
    259: 798,  # hard-coded password -> hard-coded credentials
    321: 798,  # hard-coded cryptographic key
}


def cwe_family(cwe: int) -> int:
    return CWE_FAMILY.get(cwe, cwe)


def normalise_line(text: str) -> str:
    return _WS.sub(" ", text).strip()


def fingerprint(
    *, cwe: int, path: str, scope: str, line_text: str, occurrence: int = 0
) -> Fingerprint:
    """Return the fingerprint of a finding (hex SHA-256, 32 chars)."""
    material = "\x1f".join(
        [
            FINGERPRINT_VERSION,
            f"CWE-{cwe_family(cwe)}",
            path,
            scope,
            normalise_line(line_text),
            str(occurrence),
        ]
    )
    return Fingerprint(hashlib.sha256(material.encode("utf-8")).hexdigest()[:32])
