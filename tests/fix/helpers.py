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
from mamori.fix.interface import Declined, Fixer


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
    if proposal is None or isinstance(proposal, Declined):
        return None  # no change (a decline carries its reason; tests that need it call fix)
    return proposal.changes[path]


def assert_idempotent(fixer: Fixer, fixed: str, *, cwe: int, at: str) -> None:
    """Running the fixer again at the same place changes nothing."""
    again = apply_fixer(fixer, fixed, cwe=cwe, at=at)
    assert again is None or again == fixed


_MODELS: list[object] = []


def taint_hits(source: str, path: str = "app/views.py") -> set[tuple[str, int]]:
    """(rule, line) of every finding the mamori taint engine reports on ``source``."""
    from mamori.scan.taint import Models, analyse_sources, load_models

    if not _MODELS:
        _MODELS.append(load_models())
    models = _MODELS[0]
    assert isinstance(models, Models)
    return {(h.rule, h.line) for h in analyse_sources({path: source}, models=models).hits}


def fix_and_rescan(fixer: Fixer, source: str, *, rule: str, cwe: int) -> str:
    """Scan ``source``, fix the one ``rule`` finding, check it is gone on re-scan, return the
    fixed text (and check the fix is idempotent)."""
    hits = [line for r, line in taint_hits(source) if r == rule]
    assert len(hits) == 1, f"expected one {rule} finding, got {taint_hits(source)}"
    finding = make_finding(cwe=cwe, line=hits[0], rule_id=f"mamori:python/{rule}")
    proposal = fixer.fix(finding, reader({"app/views.py": source}))
    assert proposal is not None and not hasattr(proposal, "reason"), proposal
    fixed = proposal.changes["app/views.py"]  # type: ignore[union-attr]
    assert fixed != source
    compile(fixed, "app/views.py", "exec")
    assert not [h for h in taint_hits(fixed) if h[0] == rule], fixed
    again = fixer.fix(finding, reader({"app/views.py": fixed}))
    assert again is None or hasattr(again, "reason") or again.changes["app/views.py"] == fixed  # type: ignore[union-attr]
    return fixed
