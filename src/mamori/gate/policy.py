"""Policy-as-code for the gate.

A policy is a TOML file (see ``default-policy.toml`` and docs/policy.md): an ordered list of
rules, each with a decision (``auto_accept``, ``review``, ``reject``) and conditions that must
all hold; the first matching rule decides, and ``default`` decides when none matches. The gate
fails closed:

* ``default`` may not be ``auto_accept``; a policy with no rules rejects everything unless its
  default says "review";
* whatever a rule says, a patch is only auto-accepted when all four verification checks passed
  and the project's tests passed before the patch; otherwise the rule's ``auto_accept`` is
  turned into ``review`` and the reason recorded.
"""

from __future__ import annotations

import hashlib
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from mamori.domain import (
    AssetContext,
    CheckStatus,
    Criticality,
    Decision,
    Exposure,
    Finding,
    GateOutcome,
    Patch,
    RiskClass,
    Severity,
    Strategy,
    Verification,
    VerificationStatus,
)
from mamori.errors import PolicyError

BaselineState = Literal["passing", "failing", "absent"]


class _When(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    status: list[VerificationStatus] | None = None
    verified: bool | None = None
    risk: list[RiskClass] | None = None
    severity: list[Severity] | None = None
    max_severity: Severity | None = None
    cwe: list[int] | None = None
    fixer: list[str] | None = None
    strategy: list[Strategy] | None = None
    criticality: list[Criticality] | None = None
    max_criticality: Criticality | None = None
    exposure: list[Exposure] | None = None
    baseline_tests: BaselineState | None = None


class _Rule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1)
    description: str = ""
    decision: GateOutcome
    when: _When = Field(default_factory=_When)


class _PolicyFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    version: Literal[1]
    default: Literal["review", "reject"] = "reject"
    rules: list[_Rule] = Field(default_factory=list)


@dataclass(frozen=True, kw_only=True)
class GateInput:
    """Everything the gate may look at. It never reads model prose or patch descriptions."""

    patch: Patch
    finding: Finding
    verification: Verification
    asset: AssetContext
    baseline: BaselineState


@dataclass(frozen=True, kw_only=True)
class Policy:
    source: str  # file path or "builtin:default-policy.toml"
    digest: str  # SHA-256 of the policy text, recorded in the ledger
    default: GateOutcome
    rules: tuple[_Rule, ...]

    @classmethod
    def default_policy(cls) -> Policy:
        text = resources.files("mamori.gate").joinpath("default-policy.toml").read_text("utf-8")
        return cls.parse(text, source="builtin:default-policy.toml")

    @classmethod
    def load(cls, path: Path) -> Policy:
        try:
            text = path.read_text("utf-8")
        except FileNotFoundError:
            raise PolicyError(f"policy file {path} does not exist") from None
        except (OSError, UnicodeDecodeError) as e:
            raise PolicyError(f"policy file {path} cannot be read: {e}") from e
        return cls.parse(text, source=str(path))

    @classmethod
    def parse(cls, text: str, *, source: str) -> Policy:
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as e:
            raise PolicyError(f"policy {source}: not valid TOML: {e}") from e
        try:
            parsed = _PolicyFile.model_validate(data)
        except ValidationError as e:
            problems = "\n".join(
                f"  - {'.'.join(str(x) for x in err['loc']) or '(top level)'}: {err['msg']}"
                for err in e.errors()
            )
            raise PolicyError(
                f"policy {source} is invalid:\n{problems}",
                hint="see docs/policy.md for the policy language",
            ) from e
        ids = [r.id for r in parsed.rules]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise PolicyError(f"policy {source}: duplicate rule ids: {', '.join(dupes)}")
        return cls(
            source=source,
            digest=hashlib.sha256(text.encode("utf-8")).hexdigest(),
            default=GateOutcome(parsed.default),
            rules=tuple(parsed.rules),
        )

    def decide(self, item: GateInput) -> Decision:
        for rule in self.rules:
            matched, why = _matches(rule.when, item)
            if not matched:
                continue
            return _enforce(item, rule.decision, rule.id, tuple(why))
        return _enforce(
            item,
            self.default,
            "default",
            (f"no rule matched; the policy default is {self.default}",),
        )


def _matches(when: _When, item: GateInput) -> tuple[bool, list[str]]:
    v, p, f, a = item.verification, item.patch, item.finding, item.asset
    why: list[str] = []
    checks: list[tuple[bool, str]] = []
    if when.status is not None:
        checks.append((v.status in when.status, f"verification {v.status}"))
    if when.verified is not None:
        checks.append(
            (
                v.all_passed == when.verified,
                "all four checks passed" if v.all_passed else "not all checks passed",
            )
        )
    if when.risk is not None:
        checks.append((p.risk in when.risk, f"risk {p.risk}: {p.risk_reason}"))
    if when.severity is not None:
        checks.append((f.severity in when.severity, f"severity {f.severity}"))
    if when.max_severity is not None:
        checks.append((f.severity.rank <= when.max_severity.rank, f"severity {f.severity}"))
    if when.cwe is not None:
        checks.append((f.cwe in when.cwe, f"CWE-{f.cwe}"))
    if when.fixer is not None:
        checks.append((p.fixer_id in when.fixer, f"fixer {p.fixer_id}"))
    if when.strategy is not None:
        checks.append((p.strategy in when.strategy, f"strategy {p.strategy}"))
    if when.criticality is not None:
        checks.append((a.criticality in when.criticality, f"asset criticality {a.criticality}"))
    if when.max_criticality is not None:
        checks.append(
            (a.criticality.rank <= when.max_criticality.rank, f"asset criticality {a.criticality}")
        )
    if when.exposure is not None:
        checks.append((a.exposure in when.exposure, f"exposure {a.exposure}"))
    if when.baseline_tests is not None:
        checks.append((item.baseline == when.baseline_tests, f"baseline tests {item.baseline}"))
    for ok, text in checks:
        if not ok:
            return False, []
        why.append(text)
    return True, why


def _enforce(item: GateInput, outcome: GateOutcome, rule: str, why: tuple[str, ...]) -> Decision:
    """Apply the invariants no policy can override."""
    reasons = list(why)
    if outcome is GateOutcome.AUTO_ACCEPT:
        blockers = _auto_accept_blockers(item)
        if blockers:
            reasons.extend(blockers)
            reasons.append(f"rule {rule} said auto_accept, but the evidence is incomplete")
            outcome = GateOutcome.REVIEW
    else:
        reasons.extend(_review_notes(item))
    return Decision(
        patch_id=item.patch.id, outcome=outcome, rule=rule, reasons=tuple(dict.fromkeys(reasons))
    )


def _auto_accept_blockers(item: GateInput) -> list[str]:
    blockers = []
    for c in item.verification.checks:
        if c.status is not CheckStatus.PASSED:
            blockers.append(f"check {c.name} {c.status}: {c.detail}")
    if not item.verification.all_passed and not blockers:
        blockers.append("the verification is incomplete")
    if item.baseline != "passing":
        blockers.append(
            "the project's tests did not pass before the patch"
            if item.baseline == "failing"
            else "the project has no tests"
        )
    return blockers


def _review_notes(item: GateInput) -> Sequence[str]:
    notes = [
        f"check {c.name} {c.status}: {c.detail}"
        for c in item.verification.checks
        if c.status is not CheckStatus.PASSED
    ]
    if item.patch.risk is not RiskClass.LOW:
        notes.append(f"risk {item.patch.risk}: {item.patch.risk_reason}")
    if item.baseline == "failing":
        notes.append("the project's tests did not pass before the patch")
    elif item.baseline == "absent":
        notes.append("the project has no tests")
    return notes
