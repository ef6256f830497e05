"""Cross-engine de-duplication: the same CWE at the same place is one finding."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

from mamori.domain import Finding, FindingId, Fingerprint, RawFinding, Source

# When several engines report one finding, the primary source (whose rule id, message and
# location represent the finding) is the one with a data flow, then the most severe.
_ENGINE_PREFERENCE = {"mamori": 0, "deps": 1, "bandit": 2}


def finding_id(repo: str, fingerprint: Fingerprint) -> FindingId:
    """Stable id of a finding in a repository."""
    digest = hashlib.sha256(f"{repo}\x1f{fingerprint}".encode()).hexdigest()
    return FindingId(f"F-{digest[:10]}")


def _primary_key(raw: RawFinding) -> tuple[int, int, int, int]:
    return (
        0 if raw.flow else 1,
        -raw.severity.rank,
        -raw.confidence.rank,
        _ENGINE_PREFERENCE.get(raw.engine, 9),
    )


def dedupe(repo: str, raws: Iterable[RawFinding]) -> list[Finding]:
    """Group raw findings by fingerprint; keep every engine's report as a source."""
    groups: dict[Fingerprint, list[RawFinding]] = {}
    for raw in raws:
        groups.setdefault(raw.fingerprint, []).append(raw)
    findings = []
    for fp, group in groups.items():
        findings.append(_merge(repo, fp, group))
    findings.sort(key=lambda f: (f.location.path, f.location.start_line, f.cwe, f.rule_id))
    return findings


def _merge(repo: str, fp: Fingerprint, group: Sequence[RawFinding]) -> Finding:
    ordered = sorted(group, key=_primary_key)
    primary = ordered[0]
    sources: list[Source] = []
    seen: set[tuple[str, str]] = set()
    for raw in ordered:
        key = (raw.engine, raw.rule_id)
        if key in seen:
            continue
        seen.add(key)
        sources.append(
            Source(
                engine=raw.engine,
                rule_id=raw.rule_id,
                message=raw.message,
                severity=raw.severity,
                confidence=raw.confidence,
            )
        )
    severity = max((r.severity for r in group), key=lambda s: s.rank)
    confidence = max((r.confidence for r in group), key=lambda c: c.rank)
    return Finding(
        id=finding_id(repo, fp),
        fingerprint=fp,
        rule_id=primary.rule_id,
        cwe=primary.cwe,
        message=primary.message,
        location=primary.location,
        snippet=primary.snippet,
        severity=severity,
        confidence=confidence,
        sources=tuple(sources),
        scope=primary.scope,
        flow=primary.flow,
        dependency=primary.dependency,
    )
