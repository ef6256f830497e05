from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from mamori.domain import Confidence, Severity
from mamori.errors import BadInputFileError
from mamori.fingerprint import fingerprint
from mamori.scan.interface import Scanner, ScanOptions
from mamori.scan.inventory import build_target
from mamori.scan.sarif_import import SarifImportScanner

APP = """\
def search(db, q):
    sql = "SELECT * FROM t WHERE name = '%s'" % q
    return db.execute(sql)
"""


def semgrep_log(root: Path, results: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "version": "2.1.0",
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "Semgrep OSS",
                        "rules": [
                            {
                                "id": "python.lang.security.audit.formatted-sql-query",
                                "shortDescription": {"text": "Formatted SQL query"},
                                "helpUri": "https://semgrep.dev/r/formatted-sql",
                                "defaultConfiguration": {"level": "warning"},
                                "properties": {
                                    "precision": "very-high",
                                    "tags": [
                                        "CWE-89: Improper Neutralization of Special "
                                        "Elements used in an SQL Command",
                                        "security",
                                    ],
                                },
                            },
                            {"id": "generic.secrets.token", "properties": {"tags": ["secret"]}},
                        ],
                    }
                },
                "originalUriBaseIds": {"ROOT": {"uri": root.resolve().as_uri() + "/"}},
                "results": results,
            }
        ],
    }


def loc(uri: str, line: int = 2, base: str | None = None) -> list[dict[str, Any]]:
    art: dict[str, Any] = {"uri": uri}
    if base:
        art["uriBaseId"] = base
    return [
        {
            "physicalLocation": {
                "artifactLocation": art,
                "region": {"startLine": line, "startColumn": 5},
            }
        }
    ]


def run_import(root: Path, log: dict[str, Any] | str, name: str = "in.sarif"):
    path = root.parent / f"{root.name}-{name}"
    path.write_text(log if isinstance(log, str) else json.dumps(log))
    target, _ = build_target(root, ScanOptions())
    return target, SarifImportScanner([path]).scan(target), path


def test_is_a_scanner() -> None:
    scanner = SarifImportScanner([])
    assert isinstance(scanner, Scanner)
    assert scanner.id == "sarif"


def test_semgrep_results_become_namespaced_findings(make_repo, tmp_path: Path) -> None:
    root = make_repo({"app/db.py": APP})
    outside = tmp_path / "elsewhere.py"
    results = [
        {
            "ruleId": "python.lang.security.audit.formatted-sql-query",
            "ruleIndex": 0,
            "message": {"text": "Detected a formatted SQL query"},
            "locations": loc("app/db.py", base="%SRCROOT%"),
            "properties": {"security-severity": "8.1"},
        },
        {
            "ruleId": "python.lang.security.audit.formatted-sql-query",
            "message": {"text": "again, by absolute URI"},
            "level": "note",
            "locations": loc((root / "app" / "db.py").resolve().as_uri(), line=3),
        },
        {
            "ruleId": "generic.secrets.token",
            "message": {"text": "token"},
            "level": "error",
            "locations": loc("app/db.py", line=1, base="ROOT"),
        },
        {
            "ruleId": "generic.secrets.token",
            "message": {"text": "x"},
            "locations": loc(outside.as_uri()),
        },
        {
            "ruleId": "generic.secrets.token",
            "message": {"text": "y"},
            "locations": loc("../escape.py"),
        },
    ]
    target, report, sarif = run_import(root, semgrep_log(root, results))

    assert len(report.findings) == 3
    first, second, third = report.findings
    assert first.rule_id == "semgrep-oss:python.lang.security.audit.formatted-sql-query"
    assert first.engine == "semgrep-oss"
    assert first.cwe == 89
    assert first.severity is Severity.HIGH  # security-severity 8.1
    assert first.confidence is Confidence.HIGH  # precision very-high (from the rule)
    assert first.location.path == "app/db.py"
    assert first.location.start_line == 2 and first.location.start_col == 5
    assert first.scope == "search"
    assert first.help_uri == "https://semgrep.dev/r/formatted-sql"
    assert first.fingerprint == fingerprint(
        cwe=89, path="app/db.py", scope="search", line_text=target.sources["app/db.py"].line(2)
    )
    assert second.location.path == "app/db.py" and second.location.start_line == 3
    assert second.severity is Severity.LOW  # level note, no security-severity
    assert third.cwe == 0  # no CWE anywhere: unknown
    assert third.severity is Severity.HIGH  # level error
    assert third.confidence is Confidence.MEDIUM
    assert "semgrep-oss" in report.engines and "sarif" in report.engines

    dropped = {n.path: n.reason for n in report.not_analysed}
    assert set(dropped) == {outside.as_uri(), "../escape.py"}
    assert all(str(sarif) in r and "outside the repository" in r for r in dropped.values())


def test_cwe_sources_and_levels(make_repo) -> None:
    root = make_repo({"a.txt": "one\ntwo\nthree\n"})
    cases = [
        ({"properties": {"cwe": "CWE-78"}}, 78),
        ({"properties": {"cwe": 22}}, 22),
        ({"properties": {"cwe": ["CWE-611"]}}, 611),
        ({"properties": {"tags": ["external/cwe/cwe-502", "security"]}}, 502),
        ({"properties": {"tags": ["123"]}}, 0),
    ]
    results = [
        {"ruleId": f"r{i}", "message": {"text": "m"}, "locations": loc("a.txt"), **extra}
        for i, (extra, _) in enumerate(cases)
    ]
    results.append({"ruleId": "lvl", "message": {"text": "m"}, "locations": loc("a.txt")})
    _, report, _ = run_import(root, semgrep_log(root, results))
    assert [f.cwe for f in report.findings[:-1]] == [c for _, c in cases]
    assert report.findings[-1].severity is Severity.MEDIUM  # SARIF's default level: warning
    # No parsed source for a text file: the snippet-less line text still gives a fingerprint.
    assert all(f.scope == "" for f in report.findings)


def test_suppressed_and_passing_results_are_skipped(make_repo) -> None:
    root = make_repo({"a.txt": "x\ny\n"})
    results = [
        {
            "ruleId": "a",
            "message": {"text": "m"},
            "locations": loc("a.txt"),
            "suppressions": [{"kind": "inSource"}],
        },
        {"ruleId": "b", "message": {"text": "m"}, "locations": loc("a.txt"), "kind": "pass"},
        {
            "ruleId": "c",
            "message": {"text": "m"},
            "locations": loc("a.txt"),
            "baselineState": "absent",
        },
        {
            "ruleId": "d",
            "message": {"text": "m"},
            "locations": loc("a.txt"),
            "suppressions": [{"kind": "external", "status": "rejected"}],
        },
    ]
    _, report, _ = run_import(root, semgrep_log(root, results))
    assert [f.rule_id for f in report.findings] == ["semgrep-oss:d"]


def test_invalid_json_names_file_and_position(make_repo) -> None:
    root = make_repo({"a.py": "x = 1\n"})
    with pytest.raises(BadInputFileError) as info:
        run_import(root, '{\n  "version": "2.1.0",\n  "runs": [,]\n}\n', name="broken.sarif")
    msg = info.value.message
    assert "broken.sarif" in msg and "not valid JSON" in msg and "line 3, column 12" in msg


def test_wrong_version_is_rejected(make_repo) -> None:
    root = make_repo({"a.py": "x = 1\n"})
    with pytest.raises(
        BadInputFileError, match=r"old\.sarif is not SARIF 2\.1\.0 \(version: '2\.0\.0'\)"
    ):
        run_import(root, {"version": "2.0.0", "runs": []}, name="old.sarif")


def test_schema_invalid_names_the_failing_path(make_repo) -> None:
    root = make_repo({"a.py": "x = 1\n"})
    log = semgrep_log(root, [{"ruleId": "x", "message": {"text": "m"}, "level": "fatal"}])
    with pytest.raises(BadInputFileError) as info:
        run_import(root, log, name="invalid.sarif")
    msg = info.value.message
    assert "invalid.sarif" in msg
    assert "does not match the SARIF 2.1.0 schema at $.runs[0].results[0].level" in msg
    assert "'fatal' is not one of" in msg
    assert "schema path:" in msg and "level" in msg.split("schema path:")[1]


def test_missing_required_property_is_schema_invalid(make_repo) -> None:
    root = make_repo({"a.py": "x = 1\n"})
    log = {"version": "2.1.0", "runs": [{"results": []}]}  # a run needs its tool
    with pytest.raises(BadInputFileError, match="'tool' is a required property"):
        run_import(root, log, name="notool.sarif")
