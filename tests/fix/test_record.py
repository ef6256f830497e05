"""Fix records (mamori.fix.record) and SARIF ``fixes`` (mamori.report.sarif)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import jsonschema
import pytest

from mamori.domain import (
    CheckName,
    CheckResult,
    CheckStatus,
    FindingId,
    FixerId,
    Patch,
    PatchId,
    RiskClass,
    Strategy,
    Verification,
    VerificationStatus,
)
from mamori.fix.codemods.sql_parameterize import SqlParameterizeFixer
from mamori.fix.record import FORMAT, VERSION, fix_record, fix_record_document, split_diff
from mamori.fix.stage import propose_fixes
from mamori.report.sarif import sarif_fix, sarif_log
from tests.fix.helpers import make_finding, reader

SARIF_SCHEMA = (
    Path(__file__).resolve().parents[3] / "shared" / "specs" / "sarif" / "sarif-schema-2.1.0.json"
)

SRC = (
    "import sqlite3\n\n\n"
    "def find(conn, name):\n"
    "    # look the user up\n"
    "    return conn.execute(\"SELECT * FROM users WHERE name = '%s'\" % name).fetchall()\n"
    "\n\n"
    "def other():\n"
    "    return 1\n"
)


def _patch() -> tuple[Patch, object]:
    finding = make_finding(cwe=89, line=6, path="app/db.py", fid="F-1")
    out = propose_fixes(
        [finding],
        read=reader({"app/db.py": SRC}),
        fixers=[SqlParameterizeFixer()],
        requested_by="ann",
    )
    assert len(out.patches) == 1, out.unfixable
    return out.patches[0], finding


def test_fix_record_fields_and_versioned_document() -> None:
    patch, finding = _patch()
    v = Verification(
        patch_id=patch.id,
        status=VerificationStatus.VERIFIED,
        checks=tuple(
            CheckResult(name=n, status=CheckStatus.PASSED, detail="ok") for n in CheckName
        ),
        environment="sandbox",
    )
    rec = fix_record(patch, finding=finding, verification=v, fixer_title="t")  # type: ignore[arg-type]
    doc = fix_record_document([rec], tool_version="0.0.1")
    assert doc["format"] == FORMAT and doc["version"] == VERSION == "1.0"
    r = json.loads(json.dumps(doc))["records"][0]
    assert r["fixer"] == {
        "id": "mamori:fix/sql-parameterize",
        "title": "t",
        "strategy": "deterministic",
    }
    assert r["risk"]["class"] == patch.risk.value
    assert r["finding"]["cwe"] == 89 and r["finding"]["line"] == 6
    assert r["verification"]["status"] == "verified"
    assert [c["name"] for c in r["verification"]["checks"]] == [n.value for n in CheckName]
    assert r["changeset"] == [{"path": "app/db.py", "diff": patch.diff}]
    assert r["diff"] == patch.diff and len(r["diff_sha256"]) == 64


def test_split_diff_per_file() -> None:
    diff = (
        "diff --git a/x.py b/x.py\n--- a/x.py\n+++ b/x.py\n@@ -1 +1 @@\n-a\n+b\n"
        "diff --git a/y.py b/y.py\n--- a/y.py\n+++ b/y.py\n@@ -1 +1 @@\n-c\n+d\n"
    )
    assert [c["path"] for c in split_diff(diff)] == ["x.py", "y.py"]
    assert "".join(c["diff"] for c in split_diff(diff)) == diff


def _apply_sarif_fix(text: str, fix: dict[str, object]) -> str:
    """Apply a SARIF fix's whole-line replacements to ``text`` (bottom-up)."""
    lines = text.splitlines(keepends=True)
    (change,) = fix["artifactChanges"]  # type: ignore[misc]
    for rep in sorted(change["replacements"], key=lambda r: -r["deletedRegion"]["startLine"]):
        region = rep["deletedRegion"]
        start, end = region["startLine"] - 1, region["endLine"] - 1
        lines[start:end] = [rep["insertedContent"]["text"]]
    return "".join(lines)


def test_sarif_fix_reproduces_the_patch(tmp_path: Path) -> None:
    patch, _ = _patch()
    fix = sarif_fix(patch)
    assert fix["properties"]["fixerId"] == "mamori:fix/sql-parameterize"
    assert fix["artifactChanges"][0]["artifactLocation"]["uri"] == "app/db.py"
    # The replacements give the same file as `git apply` of the diff.
    repo = tmp_path / "r"
    (repo / "app").mkdir(parents=True)
    (repo / "app" / "db.py").write_text(SRC)
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    subprocess.run(["git", "apply", "-"], cwd=repo, input=patch.diff, text=True, check=True)
    assert _apply_sarif_fix(SRC, fix) == (repo / "app" / "db.py").read_text()


def test_sarif_fix_insertions_and_multi_file() -> None:
    diff = (
        "diff --git a/a.py b/a.py\n--- a/a.py\n+++ b/a.py\n"
        "@@ -1,2 +1,3 @@\n x = 1\n+y = 2\n z = 3\n"
        "diff --git a/b.py b/b.py\n--- a/b.py\n+++ b/b.py\n@@ -2 +2 @@\n-old\n+new\n"
    )
    patch = Patch(
        id=PatchId("P-1"),
        finding_id=FindingId("F-1"),
        fixer_id=FixerId("f"),
        strategy=Strategy.DETERMINISTIC,
        risk=RiskClass.LOW,
        risk_reason="r",
        description="d",
        diff=diff,
        files=("a.py", "b.py"),
        requested_by="x",
    )
    fix = sarif_fix(patch)
    a, b = fix["artifactChanges"]
    assert a["replacements"] == [
        {
            "deletedRegion": {"startLine": 2, "startColumn": 1, "endLine": 2, "endColumn": 1},
            "insertedContent": {"text": "y = 2\n"},
        }
    ]
    assert _apply_sarif_fix("x = 1\nz = 3\n", {"artifactChanges": [a]}) == "x = 1\ny = 2\nz = 3\n"
    assert _apply_sarif_fix("a\nold\nc\n", {"artifactChanges": [b]}) == "a\nnew\nc\n"


def test_sarif_log_with_fixes_is_schema_valid() -> None:
    if not SARIF_SCHEMA.is_file():
        pytest.skip(f"the SARIF schema is not at {SARIF_SCHEMA}")
    patch, finding = _patch()
    unrelated = make_finding(cwe=79, line=10, path="app/db.py", fid="F-2")
    log = sarif_log(
        [finding, unrelated],  # type: ignore[list-item]
        not_analysed=[],
        engines=["mamori"],
        tool_version="0.0.1",
        patches=[patch],
    )
    results = log["runs"][0]["results"]
    assert "fixes" in results[0] and "fixes" not in results[1]
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    errors = list(cls(schema).iter_errors(log))
    assert not errors, [e.message for e in errors]
