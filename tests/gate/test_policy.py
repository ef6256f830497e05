from __future__ import annotations

from pathlib import Path

import pytest

from mamori.domain import (
    AssetContext,
    CheckName,
    CheckResult,
    CheckStatus,
    Confidence,
    Criticality,
    Finding,
    FindingId,
    Fingerprint,
    FixerId,
    GateOutcome,
    Location,
    Patch,
    PatchId,
    RiskClass,
    RuleId,
    Severity,
    Strategy,
    Verification,
    VerificationStatus,
)
from mamori.errors import ExitCode, PolicyError
from mamori.gate.policy import GateInput, Policy

FINDING = Finding(
    id=FindingId("F-1"),
    fingerprint=Fingerprint("fp"),
    rule_id=RuleId("bandit:B506"),
    cwe=502,
    message="m",
    location=Location(path="a.py", start_line=3),
    snippet="",
    severity=Severity.HIGH,
    confidence=Confidence.HIGH,
    sources=(),
)


def _patch(risk: RiskClass = RiskClass.LOW) -> Patch:
    return Patch(
        id=PatchId("P-1"),
        finding_id=FINDING.id,
        fixer_id=FixerId("mamori:fix/x"),
        strategy=Strategy.DETERMINISTIC,
        risk=risk,
        risk_reason="why",
        description="d",
        diff="",
        files=("a.py",),
        requested_by="alice",
    )


def _verification(
    failed: CheckName | None = None, not_run: CheckName | None = None
) -> Verification:
    checks = []
    for name in CheckName:
        st = CheckStatus.PASSED
        if name is failed:
            st = CheckStatus.FAILED
        if name is not_run:
            st = CheckStatus.NOT_RUN
        checks.append(CheckResult(name=name, status=st, detail="d"))
    status = VerificationStatus.VERIFIED
    if failed is CheckName.PARSES:
        status = VerificationStatus.PARSE_FAILED
    elif failed is not None:
        status = VerificationStatus.TESTS_FAILED
    return Verification(patch_id=PatchId("P-1"), status=status, checks=tuple(checks))


def _decide(policy: Policy, *, risk=RiskClass.LOW, failed=None, not_run=None, baseline="passing"):
    return policy.decide(
        GateInput(
            patch=_patch(risk),
            finding=FINDING,
            verification=_verification(failed, not_run),
            asset=AssetContext(criticality=Criticality.HIGH),
            baseline=baseline,
        )
    )


def test_default_policy_auto_accepts_only_low_risk_fully_verified() -> None:
    p = Policy.default_policy()
    d = _decide(p)
    assert d.outcome is GateOutcome.AUTO_ACCEPT and d.rule == "auto-accept-low-risk-verified"
    assert _decide(p, risk=RiskClass.MEDIUM).outcome is GateOutcome.REVIEW
    assert _decide(p, failed=CheckName.TESTS_SAME).outcome is GateOutcome.REVIEW
    assert _decide(p, not_run=CheckName.TESTS_SAME).outcome is GateOutcome.REVIEW
    assert _decide(p, baseline="failing").outcome is GateOutcome.REVIEW
    assert _decide(p, baseline="absent").outcome is GateOutcome.REVIEW
    assert _decide(p, failed=CheckName.PARSES).outcome is GateOutcome.REJECT


def test_review_decision_names_its_reasons() -> None:
    d = _decide(Policy.default_policy(), risk=RiskClass.HIGH)
    assert any("risk high" in r for r in d.reasons)


def test_no_policy_can_auto_accept_unverified_patches() -> None:
    reckless = Policy.parse(
        'version = 1\n[[rules]]\nid = "yolo"\ndecision = "auto_accept"\n', source="t"
    )
    d = _decide(reckless, failed=CheckName.FINDING_GONE)
    assert d.outcome is GateOutcome.REVIEW
    assert any("evidence is incomplete" in r for r in d.reasons)
    assert _decide(reckless, baseline="failing").outcome is GateOutcome.REVIEW


def test_empty_policy_rejects() -> None:
    p = Policy.parse("version = 1\n", source="t")
    assert _decide(p).outcome is GateOutcome.REJECT


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("version = 1\ndefault = 'auto_accept'\n", "default"),
        ("version = 2\n", "version"),
        ("version = 1\n[[rules]]\nid='x'\ndecision='maybe'\n", "decision"),
        ("version = 1\n[[rules]]\nid='x'\ndecision='review'\nwhen.risk=['tiny']\n", "risk"),
        ("version = 1\n[[rules]]\nid='x'\ndecision='review'\nwhen.colour='red'\n", "colour"),
        (
            "version = 1\n[[rules]]\nid='x'\ndecision='review'\n"
            "[[rules]]\nid='x'\ndecision='reject'\n",
            "duplicate",
        ),
        ("version = [\n", "TOML"),
    ],
)
def test_bad_policy_files_are_rejected_with_a_message_naming_the_problem(
    text: str, needle: str
) -> None:
    with pytest.raises(PolicyError) as e:
        Policy.parse(text, source="bad.toml")
    assert needle in e.value.diagnostics()
    assert e.value.exit_code is ExitCode.BAD_CONFIG


def test_missing_policy_file(tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match="does not exist"):
        Policy.load(tmp_path / "nope.toml")


def test_conditions_on_severity_and_criticality() -> None:
    p = Policy.parse(
        "version = 1\ndefault = 'review'\n[[rules]]\nid = 'crit-to-review'\ndecision = 'review'\n"
        "when.max_criticality = 'medium'\n[[rules]]\nid = 'ok'\ndecision = 'auto_accept'\n"
        "when.max_severity = 'high'\n",
        source="t",
    )
    d = _decide(p)  # criticality high: first rule does not match, second does
    assert d.rule == "ok" and d.outcome is GateOutcome.AUTO_ACCEPT
