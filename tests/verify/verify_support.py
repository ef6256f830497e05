"""Helpers for the verify tests: a tiny real git project and a regex-based fake rescan."""

from __future__ import annotations

import difflib
import re
import subprocess
from collections.abc import Sequence
from pathlib import Path

import libcst as cst

from mamori.domain import (
    Confidence,
    DependencyRef,
    EngineId,
    Finding,
    FindingId,
    FixerId,
    NotAnalysed,
    Patch,
    PatchId,
    RawFinding,
    RiskClass,
    ScanReport,
    Severity,
    Source,
    Strategy,
)
from mamori.scan.source import SourceFile, make_finding

DB_PY = """\
import sqlite3


def find_user(conn, name):
    return conn.execute("SELECT * FROM users WHERE name = '%s'" % name).fetchall()


def add(a, b):
    return a + b
"""

TEST_APP_PY = """\
import sqlite3

from app.db import add, find_user


def test_add():
    assert add(1, 2) == 3


def test_find_user():
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE users (name TEXT)")
    conn.execute("INSERT INTO users VALUES ('ann')")
    assert find_user(conn, "ann") == [("ann",)]
"""

# A fixed pytest.ini keeps the nested pytest runs from picking up any configuration above
# tmp_path.
PYTEST_INI = "[pytest]\ntestpaths = tests\n"


def git(repo: Path, *args: str) -> str:
    proc = subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.com", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    )
    return proc.stdout.strip()


def commit_all(repo: Path, message: str = "commit") -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--no-verify", "-m", message)
    return git(repo, "rev-parse", "HEAD")


def make_project(root: Path, *, with_tests: bool = True) -> str:
    """Create the tiny project in ``root`` as a git repo with one commit; return the commit."""
    root.mkdir(parents=True, exist_ok=True)
    git(root, "init", "-q", "-b", "main")
    (root / "app").mkdir()
    (root / "app" / "__init__.py").write_text("")
    (root / "app" / "db.py").write_text(DB_PY)
    (root / "pytest.ini").write_text(PYTEST_INI)
    if with_tests:
        (root / "tests").mkdir()
        (root / "tests" / "test_app.py").write_text(TEST_APP_PY)
    return commit_all(root, "initial")


def make_diff(path: str, old: str, new: str) -> str:
    """A unified diff as fixers write it (a/ and b/ prefixes, no blob ids)."""
    lines = difflib.unified_diff(
        old.splitlines(keepends=True),
        new.splitlines(keepends=True),
        fromfile=f"a/{path}",
        tofile=f"b/{path}",
    )
    return "".join(lines)


def make_patch(diff: str, files: Sequence[str] = ("app/db.py",), pid: str = "p1") -> Patch:
    return Patch(
        id=PatchId(pid),
        finding_id=FindingId("f1"),
        fixer_id=FixerId("test:fix"),
        strategy=Strategy.DETERMINISTIC,
        risk=RiskClass.LOW,
        risk_reason="test",
        description="test patch",
        diff=diff,
        files=tuple(files),
        requested_by="tester",
    )


# --- the fake rescan: one regex per CWE; not the thing under test ----------------------------

_RULES: tuple[tuple[str, int, re.Pattern[str]], ...] = (
    ("fake:sql", 89, re.compile(r"execute\(.*%")),
    ("fake:eval", 95, re.compile(r"\beval\(")),
)
_PIN = re.compile(r"^(?P<name>[A-Za-z0-9_.-]+)==(?P<version>\S+)")
VULNERABLE_PINS = {("requests", "2.0.0"): "GHSA-fake-1"}


def regex_rescan(root: Path, paths: Sequence[str]) -> ScanReport:
    findings: list[RawFinding] = []
    not_analysed: list[NotAnalysed] = []
    for rel in paths:
        path = root / rel
        if not path.is_file():
            continue
        text = path.read_text()
        if rel.endswith("requirements.txt"):
            findings += _scan_requirements(rel, text)
            continue
        if not rel.endswith(".py"):
            continue
        try:
            source = SourceFile.parse(rel, text)
        except cst.ParserSyntaxError as e:
            not_analysed.append(
                NotAnalysed(path=rel, engine=EngineId("fake"), reason=f"syntax error: {e}")
            )
            continue
        for lineno, line in enumerate(text.splitlines(), 1):
            for rule, cwe, pattern in _RULES:
                if pattern.search(line):
                    findings.append(
                        make_finding(
                            source=source,
                            path=rel,
                            line=lineno,
                            rule_id=rule,
                            engine="fake",
                            cwe=cwe,
                            message=rule,
                            severity=Severity.HIGH,
                            confidence=Confidence.HIGH,
                        )
                    )
    return ScanReport(
        findings=tuple(findings),
        not_analysed=tuple(not_analysed),
        engines=(EngineId("fake"),),
        files_scanned=len(paths),
    )


def _scan_requirements(rel: str, text: str) -> list[RawFinding]:
    out: list[RawFinding] = []
    for lineno, line in enumerate(text.splitlines(), 1):
        m = _PIN.match(line)
        if not m:
            continue
        advisory = VULNERABLE_PINS.get((m["name"].lower(), m["version"]))
        if advisory is None:
            continue
        out.append(
            make_finding(
                source=None,
                path=rel,
                line=lineno,
                rule_id=f"fake-deps:{advisory}",
                engine="fake",
                cwe=1395,
                message=f"{m['name']} {m['version']} is vulnerable",
                severity=Severity.HIGH,
                confidence=Confidence.HIGH,
                line_text=line,
                dependency=DependencyRef(
                    package=m["name"].lower(),
                    version=m["version"],
                    manifest=rel,
                    advisory_id=advisory,
                    fixed_versions=("2.31.0",),
                ),
            )
        )
    return out


def to_finding(raw: RawFinding) -> Finding:
    return Finding(
        id=FindingId("f1"),
        fingerprint=raw.fingerprint,
        rule_id=raw.rule_id,
        cwe=raw.cwe,
        message=raw.message,
        location=raw.location,
        snippet=raw.snippet,
        severity=raw.severity,
        confidence=raw.confidence,
        sources=(
            Source(
                engine=raw.engine,
                rule_id=raw.rule_id,
                message=raw.message,
                severity=raw.severity,
                confidence=raw.confidence,
            ),
        ),
        scope=raw.scope,
        dependency=raw.dependency,
    )
