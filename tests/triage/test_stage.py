"""Cross-run comparison: new, still open, fixed, reopened; and never "fixed" when not analysed."""

from __future__ import annotations

from dataclasses import replace

from mamori.domain import Confidence, Delta, FindingStatus, RunId, Severity
from mamori.scan.source import SourceFile, make_finding
from mamori.triage.stage import triage

A = "import os\n\n\ndef a(x):\n    os.system(x)\n\n\ndef b(y):\n    os.system(y)\n"


def _raws(code: str, lines: list[int]):
    src = SourceFile.parse("m.py", code)
    return src, [
        make_finding(
            source=src,
            path="m.py",
            line=n,
            rule_id="bandit:B605",
            engine="bandit",
            cwe=78,
            message="x",
            severity=Severity.HIGH,
            confidence=Confidence.HIGH,
        )
        for n in lines
    ]


def _triage(code: str, lines: list[int], previous=(), run="R2", analysed=True):
    src, raws = _raws(code, lines)
    return triage(
        repo="/r",
        run_id=RunId(run),
        raws=raws,
        sources={"m.py": src},
        read_line=lambda p, n: src.line(n),
        previous=list(previous),
        was_analysed=lambda f: analysed,
    )


def test_first_run_everything_is_new() -> None:
    r = _triage(A, [5, 9], run="R1")
    assert [f.delta for f in r.findings] == [Delta.NEW, Delta.NEW]
    assert all(f.first_seen_run == "R1" for f in r.findings)
    assert r.fixed == ()


def test_second_run_reports_only_what_changed() -> None:
    first = _triage(A, [5, 9], run="R1").findings
    second = _triage(A, [9], previous=first, run="R2")
    [still] = second.findings
    assert still.delta is Delta.STILL_OPEN and still.first_seen_run == "R1"
    [fixed] = second.fixed
    assert fixed.delta is Delta.FIXED and fixed.status is FindingStatus.FIXED
    assert {f.id for f in first} == {still.id, fixed.id}


def test_absence_in_an_unanalysed_file_is_not_a_fix() -> None:
    first = _triage(A, [5, 9], run="R1").findings
    second = _triage(A, [], previous=first, analysed=False)
    assert second.fixed == ()


def test_a_fixed_finding_that_comes_back_is_reopened() -> None:
    first = _triage(A, [5], run="R1").findings
    fixed = [replace(f, status=FindingStatus.FIXED) for f in first]
    again = _triage(A, [5], previous=fixed, run="R3")
    assert again.findings[0].delta is Delta.REOPENED
    assert again.findings[0].status is FindingStatus.OPEN


def test_review_status_survives_a_rescan() -> None:
    first = [replace(f, status=FindingStatus.IN_REVIEW) for f in _triage(A, [5], run="R1").findings]
    again = _triage(A, [5], previous=first)
    assert again.findings[0].status is FindingStatus.IN_REVIEW
