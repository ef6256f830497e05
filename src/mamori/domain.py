"""Mamori's domain values.

Everything that flows between pipeline stages is one of these frozen dataclasses. Stages take
values and return values; storage, printing and process control stay at the edges.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import NewType

RunId = NewType("RunId", str)
FindingId = NewType("FindingId", str)
PatchId = NewType("PatchId", str)
Fingerprint = NewType("Fingerprint", str)
RuleId = NewType("RuleId", str)
EngineId = NewType("EngineId", str)
FixerId = NewType("FixerId", str)


class Severity(enum.StrEnum):
    INFO = "info"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]

    @classmethod
    def from_cvss(cls, score: float) -> Severity:
        """The CVSS v3/v4 qualitative rating of a base score (0.0 is "none": info)."""
        if score >= 9.0:
            return cls.CRITICAL
        if score >= 7.0:
            return cls.HIGH
        if score >= 4.0:
            return cls.MEDIUM
        if score > 0.0:
            return cls.LOW
        return cls.INFO

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls(text.strip().lower())
        except ValueError as e:
            names = ", ".join(s.value for s in cls)
            raise ValueError(f"unknown severity {text!r} (expected one of: {names})") from e


_SEVERITY_RANK = {
    Severity.INFO: 0,
    Severity.LOW: 1,
    Severity.MEDIUM: 2,
    Severity.HIGH: 3,
    Severity.CRITICAL: 4,
}


class Confidence(enum.StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"

    @property
    def rank(self) -> int:
        return {Confidence.LOW: 0, Confidence.MEDIUM: 1, Confidence.HIGH: 2}[self]


class FindingStatus(enum.StrEnum):
    """Where a finding stands in its life."""

    OPEN = "open"  # detected, no accepted fix yet
    IN_REVIEW = "in_review"  # a verified patch waits for a person
    FIX_DELIVERED = "fix_delivered"  # an accepted patch is committed on a mamori/ branch
    FIXED = "fixed"  # no longer detected in the repository
    SUPPRESSED = "suppressed"  # an inline suppression with a reason
    FALSE_POSITIVE = "false_positive"  # dismissed by triage, with the reason recorded


class Delta(enum.StrEnum):
    """How a finding compares with the previous run on the same repository."""

    NEW = "new"
    STILL_OPEN = "still_open"
    FIXED = "fixed"
    REOPENED = "reopened"


class RiskClass(enum.StrEnum):
    """How much a fix may change behaviour or stored data."""

    LOW = "low"  # behaviour for legitimate input is unchanged
    MEDIUM = "medium"  # behaviour may change at the edges (deployment, configuration, errors)
    HIGH = "high"  # stored data or interfaces change; needs migration or coordination

    @property
    def rank(self) -> int:
        return {RiskClass.LOW: 0, RiskClass.MEDIUM: 1, RiskClass.HIGH: 2}[self]


class Strategy(enum.StrEnum):
    DETERMINISTIC = "deterministic"
    AI = "ai"
    HUMAN = "human"


class Criticality(enum.StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return {
            Criticality.LOW: 0,
            Criticality.MEDIUM: 1,
            Criticality.HIGH: 2,
            Criticality.CRITICAL: 3,
        }[self]


class Exposure(enum.StrEnum):
    INTERNET_FACING = "internet-facing"
    INTERNAL = "internal"
    ISOLATED = "isolated"


@dataclass(frozen=True, slots=True, kw_only=True)
class Location:
    """A region of a file; ``path`` is POSIX-style and relative to the repository root."""

    path: str
    start_line: int
    end_line: int | None = None
    start_col: int | None = None
    end_col: int | None = None

    def __str__(self) -> str:
        return f"{self.path}:{self.start_line}"


@dataclass(frozen=True, slots=True, kw_only=True)
class FlowStep:
    """One step of a data flow from source to sink."""

    location: Location
    message: str


@dataclass(frozen=True, slots=True, kw_only=True)
class DependencyRef:
    """For dependency findings: the vulnerable pin and what fixes it."""

    package: str  # normalised name (PEP 503)
    version: str
    manifest: str  # repository-relative path of the file that pins it
    advisory_id: str
    aliases: tuple[str, ...] = ()
    fixed_versions: tuple[str, ...] = ()  # lowest first


@dataclass(frozen=True, slots=True, kw_only=True)
class RawFinding:
    """What an engine reports, before triage.

    ``fingerprint`` ignores line numbers (see :mod:`mamori.fingerprint`) so that baselines
    survive edits; two engines that flag the same CWE at the same place produce the same one.
    """

    rule_id: RuleId
    engine: EngineId
    cwe: int
    message: str
    location: Location
    snippet: str
    severity: Severity
    confidence: Confidence
    fingerprint: Fingerprint
    scope: str = ""  # qualified name of the enclosing function or class, "" at module level
    flow: tuple[FlowStep, ...] = ()
    dependency: DependencyRef | None = None
    help_uri: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class NotAnalysed:
    """A file (or a whole engine) that was not analysed, and why. Never reported as clean."""

    path: str  # repository-relative; "" when the whole engine failed
    engine: EngineId | None  # None: no engine could read the file
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ScanReport:
    """Everything a scan produced: findings and what could not be analysed."""

    findings: tuple[RawFinding, ...]
    not_analysed: tuple[NotAnalysed, ...]
    engines: tuple[EngineId, ...]
    files_scanned: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Source:
    """One engine's report of a (deduplicated) finding."""

    engine: EngineId
    rule_id: RuleId
    message: str
    severity: Severity
    confidence: Confidence


@dataclass(frozen=True, slots=True, kw_only=True)
class Suppression:
    rule: str  # the rule id (or CWE-NNN, or "*") named in the comment
    reason: str
    location: Location


class SsvcDecision(enum.StrEnum):
    """The outcome of the SSVC deployer decision tree (CISA/CERT), lowest first."""

    DEFER = "defer"
    SCHEDULED = "scheduled"
    OUT_OF_CYCLE = "out-of-cycle"
    IMMEDIATE = "immediate"

    @property
    def rank(self) -> int:
        return list(SsvcDecision).index(self)


class Exploitation(enum.StrEnum):
    """SSVC "exploitation": evidence that the vulnerability is exploited."""

    NONE = "none"
    PUBLIC_POC = "public-poc"
    ACTIVE = "active"


@dataclass(frozen=True, slots=True, kw_only=True)
class Priority:
    """Why a finding sits where it does in the queue (all inputs recorded, for audit).

    ``ssvc_path`` lists each decision point of the tree as ``"name=value"`` in order.
    The due date is derived from ``sla_days`` and when the finding was first seen.
    """

    cvss_v3_vector: str
    cvss_v3_score: float
    cvss_v4_vector: str
    cvss_v4_score: float
    cvss_source: str  # "cwe default", "rule override", "triage", "severity default"
    cves: tuple[str, ...] = ()
    kev: bool = False
    epss: float | None = None  # probability of exploitation in the next 30 days
    epss_percentile: float | None = None
    exploitation: Exploitation = Exploitation.NONE
    automatable: bool = False
    ssvc: SsvcDecision = SsvcDecision.SCHEDULED
    ssvc_path: tuple[str, ...] = ()
    sla_days: int | None = None  # None: no deadline for this decision
    owner: str = ""


class DisclosureState(enum.StrEnum):
    """Steps of a coordinated disclosure, in order."""

    REPORTED = "reported"
    ACKNOWLEDGED = "acknowledged"
    FIX_AVAILABLE = "fix_available"
    PUBLISHED = "published"


@dataclass(frozen=True, slots=True, kw_only=True)
class Finding:
    """A triaged finding: one per (fingerprint), possibly reported by several engines."""

    id: FindingId
    fingerprint: Fingerprint
    rule_id: RuleId  # the primary source's rule
    cwe: int
    message: str
    location: Location
    snippet: str
    severity: Severity  # the highest of the sources
    confidence: Confidence  # the highest of the sources
    sources: tuple[Source, ...]
    scope: str = ""
    status: FindingStatus = FindingStatus.OPEN
    delta: Delta = Delta.NEW
    suppression: Suppression | None = None
    flow: tuple[FlowStep, ...] = ()
    dependency: DependencyRef | None = None
    risk_score: float = 0.0
    risk_reasons: tuple[str, ...] = ()
    first_seen_run: RunId | None = None
    last_seen_run: RunId | None = None
    priority: Priority | None = None  # set by the prioritise stage (CVSS, KEV/EPSS, SSVC, SLA)

    @property
    def engines(self) -> tuple[EngineId, ...]:
        return tuple(sorted({s.engine for s in self.sources}))


@dataclass(frozen=True, slots=True, kw_only=True)
class Patch:
    """A proposed change, as a unified diff that ``git apply`` accepts (paths a/ and b/)."""

    id: PatchId
    finding_id: FindingId
    fixer_id: FixerId
    strategy: Strategy
    risk: RiskClass
    risk_reason: str
    description: str
    diff: str
    files: tuple[str, ...]
    requested_by: str  # who asked for it (the person who started the run)


class CheckName(enum.StrEnum):
    FINDING_GONE = "finding_gone"
    NO_NEW_FINDINGS = "no_new_findings"
    PARSES = "parses"
    TESTS_SAME = "tests_same"


class CheckStatus(enum.StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    NOT_RUN = "not_run"  # could not be run: never counts as passed


@dataclass(frozen=True, slots=True, kw_only=True)
class CheckResult:
    name: CheckName
    status: CheckStatus
    detail: str


@dataclass(frozen=True, slots=True, kw_only=True)
class TestSummary:
    """Outcome of one run of a project's test suite."""

    command: tuple[str, ...]
    exit_code: int | None  # None: timed out or could not start
    passed: int
    failed: int
    errors: int
    skipped: int
    outcomes: Mapping[str, str] = field(default_factory=dict)  # test id -> passed/failed/...
    duration_s: float = 0.0
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.exit_code == 0 and self.failed == 0 and self.errors == 0

    @property
    def total(self) -> int:
        return self.passed + self.failed + self.errors + self.skipped


class VerificationStatus(enum.StrEnum):
    APPLY_FAILED = "apply_failed"
    PARSE_FAILED = "parse_failed"
    STILL_VULNERABLE = "still_vulnerable"
    NEW_FINDINGS = "new_findings"
    TESTS_FAILED = "tests_failed"
    UNVERIFIED = "unverified"  # a check could not run (e.g. the project has no tests)
    VERIFIED = "verified"


@dataclass(frozen=True, slots=True, kw_only=True)
class Verification:
    patch_id: PatchId
    status: VerificationStatus
    checks: tuple[CheckResult, ...]
    tests_before: TestSummary | None = None
    tests_after: TestSummary | None = None
    environment: str = ""  # how the tests ran (worktree, timeout, env policy; later: sandbox kind)

    @property
    def all_passed(self) -> bool:
        return len(self.checks) == len(CheckName) and all(
            c.status is CheckStatus.PASSED for c in self.checks
        )

    def check(self, name: CheckName) -> CheckResult | None:
        return next((c for c in self.checks if c.name is name), None)


class GateOutcome(enum.StrEnum):
    AUTO_ACCEPT = "auto_accept"
    REVIEW = "review"
    REJECT = "reject"


@dataclass(frozen=True, slots=True, kw_only=True)
class Decision:
    """What the gate decided for a patch, and the policy rule that decided it."""

    patch_id: PatchId
    outcome: GateOutcome
    rule: str
    reasons: tuple[str, ...]


class ReviewVerdict(enum.StrEnum):
    APPROVED = "approved"
    REJECTED = "rejected"


@dataclass(frozen=True, slots=True, kw_only=True)
class Review:
    patch_id: PatchId
    reviewer: str
    verdict: ReviewVerdict
    reason: str


class PatchState(enum.StrEnum):
    """Where a patch stands: proposed -> verified -> (review) -> delivered / rejected."""

    PROPOSED = "proposed"
    IN_REVIEW = "in_review"
    ACCEPTED = "accepted"  # accepted (auto or by review), not yet committed
    DELIVERED = "delivered"  # committed on the run's branch
    REJECTED = "rejected"
    ROLLED_BACK = "rolled_back"
    DELIVERY_FAILED = "delivery_failed"


@dataclass(frozen=True, slots=True, kw_only=True)
class Delivery:
    patch_id: PatchId
    branch: str
    commit: str


@dataclass(frozen=True, slots=True, kw_only=True)
class AssetContext:
    """What the organisation declared about the code a finding is in (from ``mamori.toml``)."""

    criticality: Criticality = Criticality.MEDIUM
    exposure: Exposure = Exposure.INTERNAL
    owner: str = ""
    data_classes: tuple[str, ...] = ()  # e.g. "payments", "pii"
    regulatory: tuple[str, ...] = ()  # e.g. "PCI DSS", "DORA"
