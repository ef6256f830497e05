"""What every disclosure document needs: the product (the repository's package and its pinned
dependencies), the findings to report, the publisher, and how each finding's status reads in
VEX terms.
"""

from __future__ import annotations

import enum
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, assert_never

from mamori.config import Config, ReportSettings
from mamori.domain import Confidence, Finding, FindingStatus
from mamori.errors import Error, ExitCode
from mamori.scan.deps import Pin, is_manifest, read_pins
from mamori.store.interface import RiskAcceptance, Store


class ReportError(Error):
    """A document cannot be produced (e.g. nothing to report)."""

    exit_code = ExitCode.USAGE


@dataclass(frozen=True, kw_only=True)
class Product:
    name: str
    version: str
    published: bool  # one of the organisation's own packages on PyPI
    dependencies: tuple[Pin, ...] = ()

    @property
    def purl(self) -> str:
        kind = "pypi" if self.published else "generic"
        return f"pkg:{kind}/{_purl_name(self.name)}@{self.version}"


def dependency_purl(package: str, version: str) -> str:
    return f"pkg:pypi/{_purl_name(package)}@{version}"


def _purl_name(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


class VexStatus(enum.StrEnum):
    NOT_AFFECTED = "not_affected"
    AFFECTED = "affected"
    FIXED = "fixed"
    UNDER_INVESTIGATION = "under_investigation"


@dataclass(frozen=True, kw_only=True)
class VexView:
    """How a finding reads in a VEX document (shared by OpenVEX, CSAF VEX and CycloneDX)."""

    status: VexStatus
    justification: str | None = None  # OpenVEX / CSAF flag label for not_affected
    impact: str = ""  # why not affected
    action: str = ""  # what to do when affected


@dataclass(frozen=True, kw_only=True)
class ReportContext:
    root: Path
    product: Product
    settings: ReportSettings
    findings: tuple[Finding, ...]
    acceptances: dict[str, RiskAcceptance] = field(default_factory=dict)  # by finding id
    now: datetime = field(default_factory=lambda: datetime.now(UTC))

    @property
    def timestamp(self) -> str:
        return self.now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def vulnerability_id(f: Finding) -> str:
    """The CVE of a dependency finding if known, else its advisory id, else the finding id."""
    if f.priority is not None and f.priority.cves:
        return f.priority.cves[0]
    if f.dependency is not None:
        cves = [a for a in f.dependency.aliases if a.upper().startswith("CVE-")]
        return cves[0] if cves else f.dependency.advisory_id
    return f"MAMORI-{f.id}"


def aliases(f: Finding) -> tuple[str, ...]:
    if f.dependency is None:
        return ()
    main = vulnerability_id(f)
    ids = [f.dependency.advisory_id, *f.dependency.aliases]
    return tuple(dict.fromkeys(i for i in ids if i != main))


def remediation(f: Finding) -> str:
    if f.dependency is not None:
        fixed = f.dependency.fixed_versions
        if fixed:
            return f"Upgrade {f.dependency.package} to {fixed[0]} or later."
        return f"No fixed version of {f.dependency.package} is known; remove or replace it."
    return f"Fix CWE-{f.cwe} at {f.location}: {f.message}"


def vex_view(f: Finding, acceptance: RiskAcceptance | None = None) -> VexView:
    """The VEX status of a finding from its triage outcome."""
    if f.status is FindingStatus.FIXED:
        return VexView(status=VexStatus.FIXED)
    if f.status in (FindingStatus.FALSE_POSITIVE, FindingStatus.SUPPRESSED):
        reason = f.suppression.reason if f.suppression else "dismissed by triage"
        # An inline suppression states a mitigation; an automatic dismissal found the input is
        # not attacker-controlled (constant arguments, test data).
        justification = (
            "inline_mitigations_already_exist"
            if f.status is FindingStatus.SUPPRESSED
            else "vulnerable_code_cannot_be_controlled_by_adversary"
        )
        return VexView(status=VexStatus.NOT_AFFECTED, justification=justification, impact=reason)
    if f.status is FindingStatus.OPEN and f.confidence is Confidence.LOW:
        return VexView(status=VexStatus.UNDER_INVESTIGATION)
    action = remediation(f)
    if f.status is FindingStatus.IN_REVIEW:
        action += " A verified patch is in review."
    elif f.status is FindingStatus.FIX_DELIVERED:
        action += " A verified fix is committed on a mamori/ branch, waiting to be merged."
    if acceptance is not None:
        action += (
            f" Risk accepted by {acceptance.owner} until {acceptance.expires}: {acceptance.reason}"
        )
    return VexView(status=VexStatus.AFFECTED, action=action)


def read_product(root: Path, config: Config) -> Product:
    """The repository's package (from pyproject.toml, else the project name) and its pins."""
    name, version = config.project_name, "0"
    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        try:
            project = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("project", {})
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            project = {}  # the deps engine reports unreadable manifests; the name stays usable
        name = str(project.get("name") or name)
        version = str(project.get("version") or version)
    pins: list[Pin] = []
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if path.is_file() and is_manifest(rel) and not _skipped(rel):
            pins.extend(read_pins(root, rel)[0])
    unique = {(p.package, p.version): p for p in pins}
    published = _purl_name(name) in {_purl_name(n) for n in config.report.published}
    return Product(
        name=name,
        version=version,
        published=published,
        dependencies=tuple(unique[k] for k in sorted(unique)),
    )


def _skipped(rel: str) -> bool:
    parts = rel.split("/")
    return any(p.startswith(".") or p in ("node_modules", "venv", "build", "dist") for p in parts)


def select(findings: Sequence[Finding], ids: Sequence[str]) -> tuple[Finding, ...]:
    """The findings named by id (or unique prefix); all of them when ``ids`` is empty."""
    if not ids:
        return tuple(findings)
    chosen: list[Finding] = []
    for wanted in ids:
        matches = [f for f in findings if f.id.startswith(wanted)]
        if len(matches) != 1:
            what = "no finding" if not matches else "several findings"
            raise ReportError(f"{what} with id {wanted!r}")
        chosen.append(matches[0])
    return tuple(dict.fromkeys(chosen))


class DocumentKind(enum.StrEnum):
    CSAF = "csaf"  # csaf_security_advisory
    CSAF_VEX = "csaf-vex"
    OPENVEX = "openvex"
    OSV = "osv"
    SBOM = "sbom"


# Dismissed findings belong in VEX documents (as not_affected), not in advisories.
_ADVISORY_STATUSES = frozenset(
    {FindingStatus.OPEN, FindingStatus.IN_REVIEW, FindingStatus.FIX_DELIVERED}
)


def from_store(
    root: Path,
    config: Config,
    store: Store,
    *,
    kind: DocumentKind,
    finding_ids: Sequence[str] = (),
    now: datetime | None = None,
) -> ReportContext:
    """The context for one document from the repository's stored findings."""
    everything = store.findings(str(root))
    if finding_ids:
        findings = select(everything, finding_ids)
    elif kind in (DocumentKind.CSAF, DocumentKind.OSV):
        findings = tuple(f for f in everything if f.status in _ADVISORY_STATUSES)
    else:
        findings = tuple(everything)
    acceptances: dict[str, RiskAcceptance] = {
        a.finding_id: a for a in store.risk_acceptances(str(root), active_only=True)
    }
    return ReportContext(
        root=root,
        product=read_product(root, config),
        settings=config.report,
        findings=findings,
        acceptances=acceptances,
        now=now or datetime.now(UTC),
    )


def render(ctx: ReportContext, kind: DocumentKind) -> Any:
    """The document as JSON data."""
    from mamori.report import csaf, openvex, osv, sbom

    match kind:
        case DocumentKind.CSAF:
            return csaf.build(ctx, profile=csaf.ADVISORY)
        case DocumentKind.CSAF_VEX:
            return csaf.build(ctx, profile=csaf.VEX)
        case DocumentKind.OPENVEX:
            return openvex.build(ctx)
        case DocumentKind.OSV:
            records = osv.build(ctx)
            return records[0] if len(records) == 1 else records
        case DocumentKind.SBOM:
            return sbom.build(ctx)
        case _:
            assert_never(kind)
