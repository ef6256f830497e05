"""Configuration: ``mamori.toml`` at the repository root, plus the environment.

Pydantic validates the file at the edge; the rest of Mamori sees the frozen :class:`Config`.
Unknown keys are errors (a typo must not silently weaken a setting).
"""

from __future__ import annotations

import fnmatch
import hashlib
import os
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from mamori.ai.settings import AISettings
from mamori.domain import AssetContext, Criticality, Exposure
from mamori.errors import ConfigError

CONFIG_FILE = "mamori.toml"

DEFAULT_EXCLUDES: tuple[str, ...] = (
    "tests/**",
    "test/**",
    "**/tests/**",
    "**/test_*.py",
    "**/*_test.py",
    "**/conftest.py",
    "docs/**",
    "build/**",
    "dist/**",
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _AssetPath(_Strict):
    glob: str
    criticality: Criticality | None = None
    exposure: Exposure | None = None
    owner: str | None = None
    data_classes: list[str] | None = None
    regulatory: list[str] | None = None


class _Asset(_Strict):
    criticality: Criticality = Criticality.MEDIUM
    exposure: Exposure = Exposure.INTERNAL
    owner: str = ""
    data_classes: list[str] = Field(default_factory=list)
    regulatory: list[str] = Field(default_factory=list)
    paths: list[_AssetPath] = Field(default_factory=list)


class _CvssVectors(_Strict):
    v3: str | None = None
    v4: str | None = None


class _Cvss(_Strict):
    rules: dict[str, _CvssVectors] = Field(default_factory=dict)
    cwe: dict[str, _CvssVectors] = Field(default_factory=dict)


class _Sla(_Strict):
    immediate: int | None = Field(default=2, ge=0)
    out_of_cycle: int | None = Field(default=7, ge=0, alias="out-of-cycle")
    scheduled: int | None = Field(default=30, ge=0)
    defer: int | None = Field(default=180, ge=0)


class _Report(_Strict):
    publisher: str = "Mamori user"
    namespace: str = "https://example.invalid"  # the publisher's URL (CSAF publisher.namespace)
    contact: str = ""
    published: list[str] = Field(default_factory=list)  # our packages published on PyPI
    osv_prefix: str = "x_MAMORI"


class _Priority(_Strict):
    kev: str | None = None
    epss: str | None = None
    epss_poc_threshold: float = Field(default=0.1, ge=0, le=1)
    sla: _Sla = Field(default_factory=_Sla)
    cvss: _Cvss = Field(default_factory=_Cvss)
    wellbeing: dict[str, str] = Field(default_factory=dict)


class _Scan(_Strict):
    engines: list[str] | None = None
    exclude: list[str] | None = None
    extra_exclude: list[str] = Field(default_factory=list)
    max_file_bytes: int = Field(default=1_000_000, gt=0)
    advisory_db: str | None = None
    # Taint engine: parameters of public functions nobody in the project calls are sources.
    entry_point_parameters: bool = True


class _Verify(_Strict):
    test_command: list[str] | None = None
    timeout_seconds: float = Field(default=600, gt=0)


# What the fix stage does with a finding that only a pattern engine reported, for a CWE the
# dataflow engine covers, in a file it analysed without finding a flow to the call:
# "review" proposes no patch (it waits for a person, with the reason), "fix" proposes a
# hardening patch as for any other finding.
PatternOnlyMode = Literal["review", "fix"]


class _Fix(_Strict):
    pattern_only: PatternOnlyMode = "review"


class _Gate(_Strict):
    policy: str | None = None


class _Project(_Strict):
    name: str | None = None


class _Ledger(_Strict):
    # Read by mamori.ledger.settings (paths relative to the repository root).
    key: str | None = None
    witness_dir: str | None = None
    witness_url: str | None = None
    origin: str | None = None


class _File(_Strict):
    project: _Project = Field(default_factory=_Project)
    asset: _Asset = Field(default_factory=_Asset)
    scan: _Scan = Field(default_factory=_Scan)
    verify: _Verify = Field(default_factory=_Verify)
    fix: _Fix = Field(default_factory=_Fix)
    gate: _Gate = Field(default_factory=_Gate)
    priority: _Priority = Field(default_factory=_Priority)
    report: _Report = Field(default_factory=_Report)
    ai: AISettings | None = None
    ledger: _Ledger = Field(default_factory=_Ledger)


@dataclass(frozen=True, kw_only=True)
class AssetRule:
    glob: str
    criticality: Criticality | None
    exposure: Exposure | None
    owner: str | None
    data_classes: tuple[str, ...] | None = None
    regulatory: tuple[str, ...] | None = None


WELLBEING_LEVELS = ("negligible", "marginal", "critical", "catastrophic")
# Default well-being (SSVC "safety") impact of a compromise of each data class, for a bank.
DEFAULT_WELLBEING = {
    "payments": "critical",
    "pii": "marginal",
    "phi": "critical",
    "credentials": "critical",
    "secrets": "critical",
}


@dataclass(frozen=True, kw_only=True)
class PrioritySettings:
    """The ``[priority]`` section: feeds, SLA policy, CVSS overrides, well-being impacts."""

    kev_feed: Path | None = None  # None: .mamori/feeds/kev.json when present
    epss_feed: Path | None = None  # None: .mamori/feeds/epss.json when present
    epss_poc_threshold: float = 0.1
    # Days to fix per SSVC decision value ("immediate", ...); None: no deadline.
    sla_days: Mapping[str, int | None] = field(
        default_factory=lambda: {
            "immediate": 2,
            "out-of-cycle": 7,
            "scheduled": 30,
            "defer": 180,
        }
    )
    # Overrides: rule id -> (v3, v4) and CWE number -> (v3, v4); None keeps the default.
    cvss_rules: Mapping[str, tuple[str | None, str | None]] = field(default_factory=dict)
    cvss_cwe: Mapping[int, tuple[str | None, str | None]] = field(default_factory=dict)
    wellbeing: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_WELLBEING))


@dataclass(frozen=True, kw_only=True)
class ReportSettings:
    """The ``[report]`` section: who publishes advisories, and which packages are ours."""

    publisher: str = "Mamori user"
    namespace: str = "https://example.invalid"
    contact: str = ""
    published: tuple[str, ...] = ()  # PyPI names of the organisation's own published packages
    osv_prefix: str = "x_MAMORI"


@dataclass(frozen=True, kw_only=True)
class Config:
    """Everything Mamori reads from ``mamori.toml`` (all fields have safe defaults)."""

    root: Path
    project_name: str
    asset: AssetContext = field(default_factory=AssetContext)
    asset_rules: tuple[AssetRule, ...] = ()
    engines: tuple[str, ...] | None = None  # None: every installed engine
    exclude: tuple[str, ...] = DEFAULT_EXCLUDES
    max_file_bytes: int = 1_000_000
    advisory_db: Path | None = None
    entry_point_parameters: bool = True  # [scan] (the taint engine's TaintOptions field)
    test_command: tuple[str, ...] | None = None
    test_timeout_s: float = 600
    fix_pattern_only: PatternOnlyMode = "review"  # [fix] pattern_only
    policy_file: Path | None = None
    priority: PrioritySettings = field(default_factory=PrioritySettings)
    report: ReportSettings = field(default_factory=ReportSettings)
    source_hash: str = ""  # SHA-256 of mamori.toml ("" when absent), for the ledger
    ai: AISettings | None = None  # None: no [ai] section, the AI stages are skipped

    @classmethod
    def load(cls, root: Path) -> Config:
        """Read ``root/mamori.toml`` if present; raises :class:`ConfigError` when invalid."""
        path = root / CONFIG_FILE
        if not path.is_file():
            return cls(root=root, project_name=root.name)
        raw = path.read_bytes()
        try:
            data = tomllib.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
            raise ConfigError(f"{path}: not valid TOML: {e}") from e
        try:
            parsed = _File.model_validate(data)
        except ValidationError as e:
            raise ConfigError(f"{path}: invalid configuration:\n{_describe(e)}") from e
        return cls._from_parsed(root, parsed, hashlib.sha256(raw).hexdigest())

    @classmethod
    def _from_parsed(cls, root: Path, parsed: _File, digest: str) -> Config:
        def rel(p: str | None) -> Path | None:
            if p is None:
                return None
            q = Path(os.path.expanduser(p))
            return q if q.is_absolute() else root / q

        exclude = (
            tuple(parsed.scan.exclude) if parsed.scan.exclude is not None else DEFAULT_EXCLUDES
        )
        return cls(
            root=root,
            project_name=parsed.project.name or root.name,
            asset=AssetContext(
                criticality=parsed.asset.criticality,
                exposure=parsed.asset.exposure,
                owner=parsed.asset.owner,
                data_classes=tuple(parsed.asset.data_classes),
                regulatory=tuple(parsed.asset.regulatory),
            ),
            asset_rules=tuple(
                AssetRule(
                    glob=p.glob,
                    criticality=p.criticality,
                    exposure=p.exposure,
                    owner=p.owner,
                    data_classes=None if p.data_classes is None else tuple(p.data_classes),
                    regulatory=None if p.regulatory is None else tuple(p.regulatory),
                )
                for p in parsed.asset.paths
            ),
            engines=tuple(parsed.scan.engines) if parsed.scan.engines is not None else None,
            exclude=exclude + tuple(parsed.scan.extra_exclude),
            max_file_bytes=parsed.scan.max_file_bytes,
            advisory_db=rel(parsed.scan.advisory_db),
            entry_point_parameters=parsed.scan.entry_point_parameters,
            test_command=tuple(parsed.verify.test_command) if parsed.verify.test_command else None,
            test_timeout_s=parsed.verify.timeout_seconds,
            fix_pattern_only=parsed.fix.pattern_only,
            policy_file=rel(parsed.gate.policy),
            priority=_priority(parsed.priority, rel),
            report=ReportSettings(
                publisher=parsed.report.publisher,
                namespace=parsed.report.namespace,
                contact=parsed.report.contact,
                published=tuple(parsed.report.published),
                osv_prefix=parsed.report.osv_prefix,
            ),
            source_hash=digest,
            ai=parsed.ai,
        )

    def asset_for(self, path: str) -> AssetContext:
        """The asset context of a repository-relative path: the first matching rule wins."""
        for rule in self.asset_rules:
            if fnmatch.fnmatch(path, rule.glob):
                return AssetContext(
                    criticality=rule.criticality or self.asset.criticality,
                    exposure=rule.exposure or self.asset.exposure,
                    owner=rule.owner if rule.owner is not None else self.asset.owner,
                    data_classes=self.asset.data_classes
                    if rule.data_classes is None
                    else rule.data_classes,
                    regulatory=self.asset.regulatory
                    if rule.regulatory is None
                    else rule.regulatory,
                )
        return self.asset


def _priority(p: _Priority, rel: Callable[[str | None], Path | None]) -> PrioritySettings:
    for name, level in p.wellbeing.items():
        if level not in WELLBEING_LEVELS:
            raise ConfigError(
                f"priority.wellbeing.{name}: {level!r} is not one of {', '.join(WELLBEING_LEVELS)}"
            )
    cwe: dict[int, tuple[str | None, str | None]] = {}
    for key, v in p.cvss.cwe.items():
        digits = key.upper().removeprefix("CWE-")
        if not digits.isdigit():
            raise ConfigError(f"priority.cvss.cwe: {key!r} is not a CWE number")
        cwe[int(digits)] = (v.v3, v.v4)
    return PrioritySettings(
        kev_feed=rel(p.kev),
        epss_feed=rel(p.epss),
        epss_poc_threshold=p.epss_poc_threshold,
        sla_days={
            "immediate": p.sla.immediate,
            "out-of-cycle": p.sla.out_of_cycle,
            "scheduled": p.sla.scheduled,
            "defer": p.sla.defer,
        },
        cvss_rules={k: (v.v3, v.v4) for k, v in p.cvss.rules.items()},
        cvss_cwe=cwe,
        wellbeing={**DEFAULT_WELLBEING, **{k.lower(): v for k, v in p.wellbeing.items()}},
    )


def _describe(e: ValidationError) -> str:
    lines = []
    for err in e.errors():
        where = ".".join(str(x) for x in err["loc"]) or "(top level)"
        lines.append(f"  - {where}: {err['msg']}")
    return "\n".join(lines)


def actor_identity(explicit: str | None = None) -> str:
    """Who is acting: ``--as``, else ``MAMORI_ACTOR``, else the login name."""
    if explicit:
        return explicit
    env = os.environ.get("MAMORI_ACTOR")
    if env:
        return env
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return f"uid-{os.getuid()}"
