from __future__ import annotations

import copy
import dataclasses
import json
from pathlib import Path

import pytest

from mamori.domain import (
    Confidence,
    Delta,
    EngineId,
    Finding,
    FindingId,
    FindingStatus,
    FlowStep,
    Location,
    NotAnalysed,
    RawFinding,
    RuleId,
    Severity,
    Source,
    Suppression,
)
from mamori.report.sarif import sarif_log, write_sarif
from mamori.scan.bandit import BanditScanner
from mamori.scan.deps import DependencyScanner
from mamori.scan.interface import ScanOptions, ScanTarget, merge_reports
from mamori.scan.inventory import build_target
from mamori.scan.sarif_import import SarifImportScanner, load_sarif
from mamori.scan.source import make_finding

APP = """\
import subprocess

import yaml
from flask import request


def export():
    name = request.form["name"]
    subprocess.run(f"tar -czf out.tgz {name}", shell=True, check=True)


def import_batch(data):
    return yaml.load(data, Loader=yaml.Loader)
"""
FILES = {
    "portal/admin.py": APP,
    # A backslash in an f-string field (3.12): Mamori cannot down-level it for Bandit.
    "portal/new syntax.py": "type Alias = list[int]\nx = f\"{'\\n'.join([])}\"\n",
    "requirements.txt": "flask>=3.0\nPyYAML==5.3.1\nrequests==2.19.1\n",
}


def scan_repo(
    root: Path,
) -> tuple[ScanTarget, list[RawFinding], list[NotAnalysed], tuple[str, ...]]:
    target, inventory_na = build_target(root, ScanOptions())
    report = merge_reports([BanditScanner().scan(target), DependencyScanner().scan(target)])
    return target, list(report.findings), [*inventory_na, *report.not_analysed], report.engines


def taint_finding(target: ScanTarget) -> RawFinding:
    src = target.sources["portal/admin.py"]
    return make_finding(
        source=src,
        path="portal/admin.py",
        line=9,
        column=5,
        rule_id="mamori:python/command-injection",
        engine="taint",
        cwe=78,
        message="request.form flows into a shell command",
        severity=Severity.CRITICAL,
        confidence=Confidence.HIGH,
        flow=(
            FlowStep(
                location=Location(path="portal/admin.py", start_line=8, start_col=12),
                message="source: request.form",
            ),
            FlowStep(
                location=Location(path="portal/admin.py", start_line=9, start_col=5),
                message="sink: subprocess.run(shell=True)",
            ),
        ),
    )


def triaged(raw: RawFinding, **changes: object) -> Finding:
    base = Finding(
        id=FindingId("f-" + raw.fingerprint[:8]),
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
            Source(
                engine=EngineId("taint"),
                rule_id=RuleId("mamori:python/x"),
                message="m",
                severity=Severity.LOW,
                confidence=Confidence.LOW,
            ),
        ),
        scope=raw.scope,
        flow=raw.flow,
        dependency=raw.dependency,
        delta=Delta.STILL_OPEN,
        risk_score=8.25,
        risk_reasons=("internet-facing",),
    )
    return dataclasses.replace(base, **changes)


def test_report_with_every_kind_of_content_is_schema_valid(git_repo, sarif_validate) -> None:
    root = git_repo(FILES)
    target, raw, not_analysed, engines = scan_repo(root)
    assert {f.rule_id for f in raw} >= {"bandit:B602", "bandit:B506", "deps:vulnerable-dependency"}
    assert any(n.engine == "bandit" and n.path == "portal/new syntax.py" for n in not_analysed)
    taint = taint_finding(target)
    bandit_shell = next(f for f in raw if f.rule_id == "bandit:B602")
    suppressed = triaged(
        bandit_shell,
        status=FindingStatus.SUPPRESSED,
        suppression=Suppression(
            rule="bandit:B602",
            reason="name is validated by the caller",
            location=Location(path="portal/admin.py", start_line=9),
        ),
    )
    dismissed = triaged(
        next(f for f in raw if f.rule_id == "bandit:B506"), status=FindingStatus.FALSE_POSITIVE
    )
    dep = triaged(next(f for f in raw if f.dependency is not None))
    engine_failure = NotAnalysed(
        path="", engine=EngineId("semgrep"), reason="semgrep is not installed"
    )

    log = sarif_log(
        [*raw, taint, suppressed, dismissed, dep],
        not_analysed=[*not_analysed, engine_failure],
        engines=[*engines, "taint"],
        tool_version="0.1.0",
        root=root,
    )
    sarif_validate(log)
    json.dumps(log)  # plain JSON types only

    [run] = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "Mamori" and driver["version"] == "0.1.0" and driver["informationUri"]
    rules = {r["id"]: r for r in driver["rules"]}
    assert len(rules) == len(driver["rules"])  # one entry per rule id
    b602 = rules["bandit:B602"]
    assert b602["properties"]["tags"] == ["security", "external/cwe/cwe-78"]
    assert b602["properties"]["cwe"] == "CWE-78"
    assert b602["helpUri"].startswith("https://")
    assert b602["shortDescription"]["text"] == "CWE-78: OS command injection"
    # The rule's security-severity is its most severe result's.
    assert rules["mamori:python/command-injection"]["properties"]["security-severity"] == "9.5"

    results = run["results"]
    for r in results:
        assert driver["rules"][r["ruleIndex"]]["id"] == r["ruleId"]
        assert r["partialFingerprints"]["mamori/v1"]
        assert r["locations"][0]["physicalLocation"]["artifactLocation"]["uriBaseId"] == "%SRCROOT%"

    taint_r = next(r for r in results if r["ruleId"] == "mamori:python/command-injection")
    assert taint_r["level"] == "error"
    region = taint_r["locations"][0]["physicalLocation"]["region"]
    assert region["startLine"] == 9 and region["startColumn"] == 5
    assert "subprocess.run" in region["snippet"]["text"]
    steps = taint_r["codeFlows"][0]["threadFlows"][0]["locations"]
    assert [s["location"]["message"]["text"] for s in steps] == [
        "source: request.form",
        "sink: subprocess.run(shell=True)",
    ]
    assert taint_r["properties"] == {
        "cwe": "CWE-78",
        "severity": "critical",
        "confidence": "high",
        "security-severity": "9.5",
        "tags": ["security", "external/cwe/cwe-78"],
        "scope": "export",
        "engines": ["taint"],
    }

    supp_r = next(r for r in results if r["properties"].get("status") == "suppressed")
    assert supp_r["suppressions"][0]["kind"] == "inSource"
    assert supp_r["suppressions"][0]["justification"] == "name is validated by the caller"
    assert supp_r["properties"]["suppressionReason"] == "name is validated by the caller"
    assert supp_r["properties"]["engines"] == ["bandit", "taint"]
    assert supp_r["properties"]["riskScore"] == 8.25
    assert supp_r["properties"]["delta"] == "still_open"
    assert supp_r["properties"]["id"] == suppressed.id
    fp_r = next(r for r in results if r["properties"].get("status") == "false_positive")
    assert fp_r["suppressions"][0]["kind"] == "external"

    dep_r = next(
        r for r in results if r["properties"].get("dependency", {}).get("package") == "pyyaml"
    )
    assert dep_r["properties"]["dependency"]["fixedVersions"][0] == "5.4"
    assert dep_r["properties"]["cwe"] == "CWE-1395"

    # A path with a space is a valid URI reference.
    [inv] = run["invocations"]
    assert inv["executionSuccessful"] is False  # semgrep failed as a whole
    notes = inv["toolExecutionNotifications"]
    assert len(notes) == len(not_analysed) + 1
    assert all(n["level"] == "warning" for n in notes)
    spaced = next(n for n in notes if "new syntax" in n["message"]["text"])
    assert (
        spaced["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        == "portal/new%20syntax.py"
    )
    assert "engine bandit" in spaced["message"]["text"]
    assert any(
        n["message"]["text"].startswith("(whole engine): not analysed by engine semgrep")
        for n in notes
    )


def test_empty_report_is_valid_and_successful(sarif_validate) -> None:
    log = sarif_log([], not_analysed=[], engines=["bandit"], tool_version="0.1.0")
    sarif_validate(log)
    assert log["runs"][0]["invocations"][0]["executionSuccessful"] is True
    assert log["runs"][0]["results"] == []


def test_write_sarif_round_trips_through_disk(tmp_path: Path) -> None:
    log = sarif_log([], not_analysed=[], engines=[], tool_version="1.2.3")
    out = tmp_path / "out" / "mamori.sarif"
    write_sarif(log, out)
    assert json.loads(out.read_text(encoding="utf-8")) == log
    assert [p.name for p in out.parent.iterdir()] == ["mamori.sarif"]  # no temporary left over
    assert load_sarif(out) == log  # and the importer's validation accepts it


@pytest.mark.parametrize("keep_fingerprints", [True, False])
def test_round_trip_through_the_importer(git_repo, tmp_path: Path, keep_fingerprints: bool) -> None:
    root = git_repo(FILES)
    target, raw, not_analysed, engines = scan_repo(root)
    originals = [*raw, taint_finding(target)]
    log = sarif_log(originals, not_analysed=not_analysed, engines=engines, tool_version="0.1.0")
    if not keep_fingerprints:
        # Without the stored fingerprints the importer recomputes them the shared way.
        log = copy.deepcopy(log)
        for r in log["runs"][0]["results"]:
            del r["partialFingerprints"]
    path = tmp_path / "round.sarif"
    write_sarif(log, path)

    report = SarifImportScanner([path]).scan(target)

    def key(f: RawFinding) -> tuple[object, ...]:
        return (
            f.rule_id,
            f.cwe,
            f.fingerprint,
            f.engine,
            f.severity,
            f.confidence,
            f.location.path,
            f.location.start_line,
        )

    assert sorted(map(key, report.findings)) == sorted(map(key, originals))
    assert report.not_analysed == ()
    imported_deps = {f.dependency for f in report.findings if f.dependency}
    assert imported_deps == {f.dependency for f in raw if f.dependency}
    imported_flow = next(
        f for f in report.findings if f.rule_id == "mamori:python/command-injection"
    ).flow
    assert [s.location.start_line for s in imported_flow] == [8, 9]


def test_unknown_cwe_is_left_out(sarif_validate, tmp_path: Path) -> None:
    f = make_finding(
        source=None,
        path="conf/app.ini",
        line=3,
        rule_id="semgrep:generic.secret",
        engine="semgrep",
        cwe=0,
        message="a secret",
        severity=Severity.LOW,
        confidence=Confidence.LOW,
        snippet="key = abc",
    )
    log = sarif_log([f], not_analysed=[], engines=["semgrep"], tool_version="0.1.0")
    sarif_validate(log)
    [rule] = log["runs"][0]["tool"]["driver"]["rules"]
    assert "cwe" not in rule["properties"] and rule["properties"]["tags"] == ["security"]
    [result] = log["runs"][0]["results"]
    assert "cwe" not in result["properties"]
    assert result["level"] == "note"

    root = tmp_path / "repo"
    (root / "conf").mkdir(parents=True)
    (root / "conf" / "app.ini").write_text("[a]\nx = 1\nkey = abc\n")
    write_sarif(log, tmp_path / "unknown.sarif")
    [back] = (
        SarifImportScanner([tmp_path / "unknown.sarif"])
        .scan(ScanTarget(root=root, files=("conf/app.ini",)))
        .findings
    )
    assert (back.cwe, back.rule_id, back.fingerprint) == (0, f.rule_id, f.fingerprint)
