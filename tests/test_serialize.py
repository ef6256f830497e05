"""Round trips of every domain value through mamori.serialize (and through real JSON)."""

from __future__ import annotations

import dataclasses
import enum
import inspect
import json
from collections.abc import Mapping
from pathlib import Path, PurePosixPath
from typing import Any

import pytest

from mamori import domain
from mamori.domain import (
    AssetContext,
    CheckName,
    CheckResult,
    CheckStatus,
    Confidence,
    Criticality,
    Decision,
    Delivery,
    Delta,
    DependencyRef,
    EngineId,
    Exposure,
    Finding,
    FindingId,
    FindingStatus,
    Fingerprint,
    FixerId,
    FlowStep,
    GateOutcome,
    Location,
    NotAnalysed,
    Patch,
    PatchId,
    RawFinding,
    Review,
    ReviewVerdict,
    RiskClass,
    RuleId,
    RunId,
    ScanReport,
    Severity,
    Source,
    Strategy,
    Suppression,
    Verification,
    VerificationStatus,
)
from mamori.domain import (
    TestSummary as Summary,
)
from mamori.serialize import SerializeError, from_jsonable, to_jsonable
from mamori.store.interface import LedgerEvent, PatchRecord, RunRecord

LOC = Location(path="app/db.py", start_line=12, end_line=13, start_col=4, end_col=40)
LOC_MIN = Location(path="x.py", start_line=1)
FLOW = (
    FlowStep(location=LOC_MIN, message="source: request.args"),
    FlowStep(location=LOC, message="sink: cursor.execute"),
)
DEP = DependencyRef(
    package="pyyaml",
    version="5.3",
    manifest="requirements.txt",
    advisory_id="GHSA-8q59-q68h-6hv4",
    aliases=("CVE-2020-14343",),
    fixed_versions=("5.4", "6.0"),
)
SOURCE = Source(
    engine=EngineId("bandit"),
    rule_id=RuleId("bandit:B608"),
    message="SQL built from strings",
    severity=Severity.HIGH,
    confidence=Confidence.MEDIUM,
)
RAW = RawFinding(
    rule_id=RuleId("mamori:python/sql-injection"),
    engine=EngineId("mamori"),
    cwe=89,
    message="SQL injection",
    location=LOC,
    snippet='cur.execute("SELECT " + name)',
    severity=Severity.CRITICAL,
    confidence=Confidence.HIGH,
    fingerprint=Fingerprint("ab" * 16),
    scope="app.db.lookup",
    flow=FLOW,
    dependency=DEP,
    help_uri="https://example.invalid/rule",
)
NOT_ANALYSED = NotAnalysed(path="bin/blob", engine=None, reason="binary file")
FINDING = Finding(
    id=FindingId("F-0123456789"),
    fingerprint=Fingerprint("cd" * 16),
    rule_id=RuleId("bandit:B608"),
    cwe=89,
    message="SQL injection ünïcode ✓",
    location=LOC,
    snippet="x",
    severity=Severity.HIGH,
    confidence=Confidence.LOW,
    sources=(SOURCE, dataclasses.replace(SOURCE, engine=EngineId("semgrep"))),
    scope="f",
    status=FindingStatus.SUPPRESSED,
    delta=Delta.REOPENED,
    suppression=Suppression(rule="CWE-89", reason="input is a constant", location=LOC_MIN),
    flow=FLOW,
    dependency=DEP,
    risk_score=7.25,
    risk_reasons=("internet-facing", "KEV"),
    first_seen_run=RunId("R-20250101-000000-abcdef"),
    last_seen_run=None,
)
PATCH = Patch(
    id=PatchId("P-1a2b"),
    finding_id=FindingId("F-0123456789"),
    fixer_id=FixerId("mamori:fix/sql-parameterize"),
    strategy=Strategy.DETERMINISTIC,
    risk=RiskClass.MEDIUM,
    risk_reason="errors change",
    description="parameterise",
    diff="--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n",
    files=("x",),
    requested_by="alice",
)
SUMMARY = Summary(
    command=("pytest", "-q"),
    exit_code=None,
    passed=3,
    failed=1,
    errors=0,
    skipped=2,
    outcomes={"t::a": "passed", "t::b": "failed"},
    duration_s=1.5,
    detail="timed out",
)
VERIFICATION = Verification(
    patch_id=PatchId("P-1a2b"),
    status=VerificationStatus.TESTS_FAILED,
    checks=tuple(
        CheckResult(name=n, status=CheckStatus.PASSED, detail=f"{n} ok") for n in CheckName
    ),
    tests_before=dataclasses.replace(SUMMARY, exit_code=0, failed=0),
    tests_after=SUMMARY,
    environment="worktree",
)

SAMPLES: dict[type[Any], list[Any]] = {
    Location: [LOC, LOC_MIN],
    FlowStep: list(FLOW),
    DependencyRef: [DEP, DependencyRef(package="a", version="1", manifest="m", advisory_id="X")],
    RawFinding: [RAW, dataclasses.replace(RAW, flow=(), dependency=None, help_uri=None)],
    NotAnalysed: [NOT_ANALYSED, NotAnalysed(path="", engine=EngineId("bandit"), reason="crash")],
    ScanReport: [
        ScanReport(
            findings=(RAW,),
            not_analysed=(NOT_ANALYSED,),
            engines=(EngineId("mamori"), EngineId("bandit")),
            files_scanned=10,
        ),
        ScanReport(findings=(), not_analysed=(), engines=(), files_scanned=0),
    ],
    Source: [SOURCE],
    Suppression: [Suppression(rule="*", reason="r", location=LOC)],
    domain.Priority: [
        domain.Priority(
            cvss_v3_vector="CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
            cvss_v3_score=9.8,
            cvss_v4_vector="CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
            cvss_v4_score=9.3,
            cvss_source="cwe default",
            cves=("CVE-2021-44228",),
            kev=True,
            epss=0.97,
            epss_percentile=0.999,
            exploitation=domain.Exploitation.ACTIVE,
            automatable=True,
            ssvc=domain.SsvcDecision.IMMEDIATE,
            ssvc_path=("exploitation=active", "decision=immediate"),
            sla_days=2,
            owner="payments",
        ),
        domain.Priority(
            cvss_v3_vector="",
            cvss_v3_score=0.0,
            cvss_v4_vector="",
            cvss_v4_score=0.0,
            cvss_source="severity default",
            sla_days=None,
        ),
    ],
    Finding: [
        FINDING,
        Finding(
            id=FindingId("F-1"),
            fingerprint=Fingerprint("f"),
            rule_id=RuleId("r"),
            cwe=0,
            message="",
            location=LOC_MIN,
            snippet="",
            severity=Severity.INFO,
            confidence=Confidence.HIGH,
            sources=(),
        ),
    ],
    Patch: [PATCH],
    CheckResult: [CheckResult(name=CheckName.PARSES, status=CheckStatus.NOT_RUN, detail="")],
    Summary: [
        SUMMARY,
        Summary(command=(), exit_code=0, passed=0, failed=0, errors=0, skipped=0),
    ],
    Verification: [
        VERIFICATION,
        Verification(patch_id=PatchId("P"), status=VerificationStatus.VERIFIED, checks=()),
    ],
    Decision: [
        Decision(
            patch_id=PatchId("P"), outcome=GateOutcome.REVIEW, rule="risk>=medium", reasons=("a",)
        )
    ],
    Review: [
        Review(patch_id=PatchId("P"), reviewer="bob", verdict=ReviewVerdict.APPROVED, reason="ok")
    ],
    Delivery: [Delivery(patch_id=PatchId("P"), branch="mamori/R-1", commit="a" * 40)],
    AssetContext: [
        AssetContext(),
        AssetContext(
            criticality=Criticality.CRITICAL, exposure=Exposure.INTERNET_FACING, owner="team-a"
        ),
    ],
    # The store's records also travel through the CLI's --json output.
    RunRecord: [
        RunRecord(
            id=RunId("R-1"),
            repo="/r",
            actor="me",
            started_at="2025-01-01T00:00:00.000000Z",
            finished_at=None,
            head_commit=None,
            branch=None,
            status="running",
            summary={"findings": 3, "nested": {"a": [1, 2.5, None, True]}},
        )
    ],
    PatchRecord: [
        PatchRecord(
            patch=PATCH,
            run_id=RunId("R-1"),
            state=domain.PatchState.DELIVERED,
            verification=VERIFICATION,
            decision=Decision(
                patch_id=PatchId("P-1a2b"), outcome=GateOutcome.AUTO_ACCEPT, rule="r", reasons=()
            ),
            reviews=(
                Review(
                    patch_id=PatchId("P-1a2b"),
                    reviewer="bob",
                    verdict=ReviewVerdict.REJECTED,
                    reason="no",
                ),
            ),
            delivery=Delivery(patch_id=PatchId("P-1a2b"), branch="b", commit="c"),
            rollback_commit="d",
        )
    ],
    LedgerEvent: [
        LedgerEvent(
            seq=1,
            at="t",
            kind="k",
            actor="a",
            run_id=None,
            subject="",
            payload={"x": [1, {"y": "z"}]},
            prev_hash="0" * 64,
            hash="1" * 64,
        )
    ],
}


def _all_samples() -> list[Any]:
    return [
        pytest.param(v, id=f"{cls.__name__}-{i}")
        for cls, vs in SAMPLES.items()
        for i, v in enumerate(vs)
    ]


def test_every_domain_dataclass_has_samples() -> None:
    # A new domain value must get a round-trip sample here.
    classes = {
        obj
        for _, obj in inspect.getmembers(domain, inspect.isclass)
        if dataclasses.is_dataclass(obj) and obj.__module__ == domain.__name__
    }
    assert classes, "no domain dataclasses found"
    assert classes <= set(SAMPLES), sorted(c.__name__ for c in classes - set(SAMPLES))


@pytest.mark.parametrize("value", _all_samples())
def test_round_trip_through_json(value: Any) -> None:
    data = to_jsonable(value)
    text = json.dumps(data, allow_nan=False)
    back = from_jsonable(type(value), json.loads(text))
    assert back == value
    assert type(back) is type(value)


def test_decoded_types_are_real() -> None:
    back = from_jsonable(Finding, json.loads(json.dumps(to_jsonable(FINDING))))
    assert back.severity is Severity.HIGH
    assert back.status is FindingStatus.SUPPRESSED
    assert isinstance(back.sources, tuple)
    assert isinstance(back.sources[0], Source)
    assert isinstance(back.flow[1].location, Location)
    assert isinstance(back.risk_reasons, tuple)
    assert back.dependency is not None and back.dependency.fixed_versions == ("5.4", "6.0")
    summary = from_jsonable(Summary, to_jsonable(SUMMARY))
    assert isinstance(summary.outcomes, Mapping)
    assert summary.ok is False  # properties still work on the rebuilt value


def test_to_jsonable_shapes() -> None:
    data = to_jsonable(FINDING)
    assert data["severity"] == "high"  # enums by value
    assert data["location"] == {
        "path": "app/db.py",
        "start_line": 12,
        "end_line": 13,
        "start_col": 4,
        "end_col": 40,
    }
    assert data["risk_reasons"] == ["internet-facing", "KEV"]  # tuples become lists
    assert "engines" not in data  # properties are derived, not stored
    assert to_jsonable({Severity.LOW: (1, 2)}) == {"low": [1, 2]}
    assert to_jsonable(frozenset({"b", "a"})) == ["a", "b"]
    assert type(to_jsonable(Severity.LOW)) is str


class _Opaque:
    pass


@pytest.mark.parametrize("bad", [_Opaque(), {1: "int key"}, b"bytes", {"nested": [object()]}])
def test_to_jsonable_rejects_unknown(bad: Any) -> None:
    with pytest.raises(TypeError):
        to_jsonable(bad)


@pytest.mark.parametrize(
    ("cls", "data", "message"),
    [
        (Location, {"path": "a"}, "Location: missing required field 'start_line'"),
        (Location, {"path": "a", "start_line": "1"}, "Location.start_line: expected integer"),
        (Location, {"path": "a", "start_line": True}, "Location.start_line: expected integer"),
        (Location, {"path": "a", "start_line": 1, "colour": 2}, "unknown field(s) for Location"),
        (Location, [1], "Location: expected object"),
        (Source, {**to_jsonable(SOURCE), "severity": "urgent"}, "Source.severity: 'urgent'"),
        (Finding, {**to_jsonable(FINDING), "sources": {}}, "Finding.sources: expected array"),
        (
            Finding,
            {**to_jsonable(FINDING), "flow": [{"location": {}, "message": "m"}]},
            "Finding.flow[0].location: missing required field 'path'",
        ),
        (Summary, {**to_jsonable(SUMMARY), "outcomes": {"a": 1}}, "outcomes['a']"),
        (Finding, {**to_jsonable(FINDING), "suppression": 3}, "Finding.suppression"),
        (DependencyRef, {**to_jsonable(DEP), "version": None}, "DependencyRef.version"),
    ],
)
def test_from_jsonable_names_the_path(cls: type[Any], data: Any, message: str) -> None:
    with pytest.raises(SerializeError) as exc:
        from_jsonable(cls, data)
    assert message in exc.value.message


def test_scalars_and_generics() -> None:
    assert from_jsonable(float, 3) == 3.0
    assert isinstance(from_jsonable(float, 3), float)
    assert from_jsonable(tuple[int, str], [1, "a"]) == (1, "a")
    assert from_jsonable(dict[str, Any], {"a": [1]}) == {"a": [1]}
    assert from_jsonable(list[Severity], ["low"]) == [Severity.LOW]
    assert from_jsonable(RunId, "R-1") == "R-1"
    assert to_jsonable(PurePosixPath("a/b")) == "a/b"
    assert from_jsonable(Path, "a/b") == Path("a/b")
    with pytest.raises(SerializeError):
        from_jsonable(tuple[int, str], [1])
    with pytest.raises(SerializeError):
        from_jsonable(int, 1.5)


def test_all_enums_round_trip() -> None:
    for _, cls in inspect.getmembers(domain, inspect.isclass):
        if issubclass(cls, enum.Enum) and cls.__module__ == domain.__name__:
            for member in cls:
                assert from_jsonable(cls, to_jsonable(member)) is member
