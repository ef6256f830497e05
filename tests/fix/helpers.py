"""Helpers for the fixer tests: findings at a line, and running a fixer on a snippet."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from mamori.domain import (
    Confidence,
    DependencyRef,
    Finding,
    FindingId,
    Fingerprint,
    Location,
    RuleId,
    Severity,
)
from mamori.fix.interface import Fixer


def make_finding(
    *,
    cwe: int,
    line: int,
    path: str = "app/views.py",
    rule_id: str = "mamori:test",
    snippet: str = "",
    scope: str = "",
    dependency: DependencyRef | None = None,
    fid: str = "F-1",
) -> Finding:
    return Finding(
        id=FindingId(fid),
        fingerprint=Fingerprint(f"fp-{fid}-{cwe}-{path}"),
        rule_id=RuleId(rule_id),
        cwe=cwe,
        message="test finding",
        location=Location(path=path, start_line=line),
        snippet=snippet,
        severity=Severity.HIGH,
        confidence=Confidence.HIGH,
        sources=(),
        scope=scope,
        dependency=dependency,
    )


def reader(files: Mapping[str, str]) -> Callable[[str], str]:
    def read(path: str) -> str:
        try:
            return files[path]
        except KeyError:
            raise FileNotFoundError(path) from None

    return read


def line_of(source: str, needle: str) -> int:
    """1-based line number of the first line containing ``needle``."""
    for n, text in enumerate(source.splitlines(), start=1):
        if needle in text:
            return n
    raise AssertionError(f"{needle!r} not in source")


def apply_fixer(
    fixer: Fixer, source: str, *, cwe: int, at: str, path: str = "app/views.py"
) -> str | None:
    """Run ``fixer`` on ``source`` for a finding at the line containing ``at``."""
    finding = make_finding(cwe=cwe, line=line_of(source, at), path=path)
    proposal = fixer.fix(finding, reader({path: source}))
    if proposal is None:
        return None
    return proposal.changes[path]


def assert_idempotent(fixer: Fixer, fixed: str, *, cwe: int, at: str) -> None:
    """Running the fixer again at the same place changes nothing."""
    again = apply_fixer(fixer, fixed, cwe=cwe, at=at)
    assert again is None or again == fixed
