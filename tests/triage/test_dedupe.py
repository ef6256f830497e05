from __future__ import annotations

from mamori.domain import Confidence, EngineId, FlowStep, Location, Severity
from mamori.scan.source import SourceFile, make_finding
from mamori.triage.dedupe import dedupe

CODE = """\
import sqlite3


def search(db, q):
    return db.execute(f"SELECT * FROM t WHERE name = '{q}'").fetchall()


def other(db, q):
    return db.execute(f"SELECT * FROM t WHERE name = '{q}'").fetchall()
"""


def _raw(engine: str, rule: str, line: int, sev: Severity, *, flow: bool = False):
    src = SourceFile.parse("app.py", CODE)
    steps = (FlowStep(location=Location(path="app.py", start_line=4), message="q"),) if flow else ()
    return make_finding(
        source=src,
        path="app.py",
        line=line,
        rule_id=rule,
        engine=engine,
        cwe=89,
        message=f"{engine} says",
        severity=sev,
        confidence=Confidence.MEDIUM,
        flow=steps,
    )


def test_same_cwe_same_line_from_two_engines_is_one_finding_with_two_sources() -> None:
    a = _raw("bandit", "bandit:B608", 5, Severity.MEDIUM)
    b = _raw("mamori", "mamori:python/sql-injection", 5, Severity.HIGH, flow=True)
    [finding] = dedupe("/repo", [a, b])
    assert finding.engines == (EngineId("bandit"), EngineId("mamori"))
    assert finding.rule_id == "mamori:python/sql-injection"  # the source with a flow leads
    assert finding.severity is Severity.HIGH
    assert finding.flow


def test_same_text_in_another_function_stays_separate() -> None:
    a = _raw("bandit", "bandit:B608", 5, Severity.MEDIUM)
    b = _raw("bandit", "bandit:B608", 9, Severity.MEDIUM)
    assert a.fingerprint != b.fingerprint
    assert len(dedupe("/repo", [a, b])) == 2


def test_fingerprint_ignores_line_numbers() -> None:
    moved = SourceFile.parse("app.py", "\n\n# a comment\n" + CODE)
    a = _raw("bandit", "bandit:B608", 5, Severity.MEDIUM)
    b = make_finding(
        source=moved,
        path="app.py",
        line=8,
        rule_id="bandit:B608",
        engine="bandit",
        cwe=89,
        message="m",
        severity=Severity.MEDIUM,
        confidence=Confidence.MEDIUM,
    )
    assert a.fingerprint == b.fingerprint
    assert dedupe("/r", [a])[0].id == dedupe("/r", [b])[0].id
