"""CVSS v3.1 and v4.0 vectors per finding, scored with the ``cvss`` library.

Static analysis cannot measure a vulnerability's CVSS metrics, so each CWE has a default vector
describing the typical case (an unauthenticated network attacker for injection, user interaction
for XSS, ...). Configuration overrides it per rule or per CWE (``[priority.cvss]``), and triage
per finding; the source of the vectors used is recorded with the scores.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from cvss import CVSS3, CVSS4, CVSSError  # type: ignore[import-untyped]

from mamori.domain import Finding, Severity
from mamori.errors import ConfigError

_V3 = "CVSS:3.1/"
_V4 = "CVSS:4.0/"

# (v3.1, v4.0) base vectors of the typical exploitable case per CWE.
_RCE = (
    "AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
    "AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
)
_READ = (
    "AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N",
    "AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:N/VA:N/SC:N/SI:N/SA:N",
)
_REFLECTED = (
    "AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N",
    "AV:N/AC:L/AT:N/PR:N/UI:P/VC:N/VI:N/VA:N/SC:L/SI:L/SA:N",
)
_WEAK_CRYPTO = (
    "AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N",
    "AV:N/AC:H/AT:N/PR:N/UI:N/VC:H/VI:N/VA:N/SC:N/SI:N/SA:N",
)
_TLS = (
    "AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:N",
    "AV:N/AC:H/AT:P/PR:N/UI:N/VC:H/VI:H/VA:N/SC:N/SI:N/SA:N",
)
_COOKIE = (
    "AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N",
    "AV:N/AC:H/AT:P/PR:N/UI:P/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N",
)
_LOCAL = (
    "AV:L/AC:H/PR:L/UI:N/S:U/C:L/I:L/A:N",
    "AV:L/AC:H/AT:N/PR:L/UI:N/VC:L/VI:L/VA:N/SC:N/SI:N/SA:N",
)
_DOS = (
    "AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H",
    "AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:H/SC:N/SI:N/SA:N",
)

CWE_DEFAULTS: Mapping[int, tuple[str, str]] = {
    78: _RCE,  # OS command injection
    77: _RCE,
    89: _RCE,  # SQL injection
    94: _RCE,  # code injection
    95: _RCE,  # eval injection
    502: _RCE,  # unsafe deserialisation
    798: _RCE,  # hard-coded credentials
    259: _RCE,
    489: _RCE,  # debug mode left on (Werkzeug console)
    22: _READ,  # path traversal
    23: _READ,
    918: _READ,  # SSRF
    611: _READ,  # XXE
    200: _READ,
    79: _REFLECTED,  # XSS
    601: _REFLECTED,  # open redirect
    352: _REFLECTED,  # CSRF
    327: _WEAK_CRYPTO,
    328: _WEAK_CRYPTO,
    330: _WEAK_CRYPTO,
    295: _TLS,  # certificate validation
    614: _COOKIE,  # cookie without Secure
    1004: _COOKIE,  # cookie without HttpOnly
    1275: _COOKIE,  # SameSite
    377: _LOCAL,  # insecure temporary file
    732: _LOCAL,
    400: _DOS,
    1333: _DOS,  # ReDoS
}

# When the CWE has no default: a vector whose score falls in the finding's severity band.
SEVERITY_DEFAULTS: Mapping[Severity, tuple[str, str]] = {
    Severity.CRITICAL: _RCE,
    Severity.HIGH: _READ,
    Severity.MEDIUM: _REFLECTED,
    Severity.LOW: _COOKIE,
    Severity.INFO: (
        "AV:L/AC:H/PR:H/UI:R/S:U/C:N/I:N/A:N",
        "AV:L/AC:H/AT:P/PR:H/UI:A/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N",
    ),
}


@dataclass(frozen=True, kw_only=True)
class CvssScores:
    v3_vector: str
    v3_score: float
    v4_vector: str
    v4_score: float
    source: str


def score_v3(vector: str) -> float:
    """Base score of a CVSS v3.1 vector; raises ValueError when it is not valid."""
    full = _prefixed(vector, _V3)
    if not full.startswith(_V3):
        # A v3.0 vector scores differently and every report labels these as v3.1.
        raise ValueError(f"invalid CVSS v3.1 vector {vector!r}: it does not start with {_V3}")
    try:
        return float(CVSS3(full).scores()[0])
    except CVSSError as e:
        raise ValueError(f"invalid CVSS v3.1 vector {vector!r}: {e}") from e


def score_v4(vector: str) -> float:
    """Base score of a CVSS v4.0 vector; raises ValueError when it is not valid."""
    full = _prefixed(vector, _V4)
    if not full.startswith(_V4):
        raise ValueError(f"invalid CVSS v4.0 vector {vector!r}: it does not start with {_V4}")
    try:
        return float(CVSS4(full).base_score)
    except CVSSError as e:
        raise ValueError(f"invalid CVSS v4.0 vector {vector!r}: {e}") from e


def _prefixed(vector: str, prefix: str) -> str:
    vector = vector.strip()
    return vector if vector.startswith("CVSS:") else prefix + vector


def vectors_for(
    finding: Finding,
    *,
    rules: Mapping[str, tuple[str | None, str | None]] | None = None,
    cwes: Mapping[int, tuple[str | None, str | None]] | None = None,
    triage: tuple[str | None, str | None] | None = None,
) -> CvssScores:
    """The finding's vectors: triage, else the rule's override, else the CWE's, else defaults.

    Each version is resolved on its own, so an override may set only v3 or only v4.
    Raises :class:`ConfigError` for an invalid override vector.
    """
    default = CWE_DEFAULTS.get(finding.cwe)
    fallback_source = "cwe default" if default is not None else "severity default"
    default = default or SEVERITY_DEFAULTS[finding.severity]
    layers: list[tuple[str, tuple[str | None, str | None] | None]] = [
        ("triage", triage),
        ("rule override", (rules or {}).get(finding.rule_id)),
        ("cwe override", (cwes or {}).get(finding.cwe)),
    ]
    chosen: list[tuple[str, str]] = []
    for index in (0, 1):
        for source, pair in layers:
            if pair is not None and pair[index]:
                chosen.append((source, pair[index] or ""))
                break
        else:
            chosen.append((fallback_source, default[index]))
    (src3, v3), (src4, v4) = chosen
    try:
        s3, s4 = score_v3(v3), score_v4(v4)
    except ValueError as e:
        raise ConfigError(f"finding {finding.id} ({finding.rule_id}): {e}") from e
    return CvssScores(
        v3_vector=_prefixed(v3, _V3),
        v3_score=s3,
        v4_vector=_prefixed(v4, _V4),
        v4_score=s4,
        source=src3 if src3 == src4 else f"v3 {src3}, v4 {src4}",
    )


def is_automatable(v3_vector: str) -> bool:
    """SSVC "automatable": an attacker can script steps 1-4 of the kill chain.

    Approximated from the vector: network attack, low complexity, no privileges and no user
    interaction.
    """
    metrics = dict(part.split(":", 1) for part in v3_vector.split("/")[1:] if ":" in part)
    return (
        metrics.get("AV") == "N"
        and metrics.get("AC") == "L"
        and metrics.get("PR") == "N"
        and metrics.get("UI") == "N"
    )
