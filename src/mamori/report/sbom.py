"""A CycloneDX 1.6 SBOM of the repository's pinned dependencies, with their vulnerabilities.

Built with cyclonedx-python-lib. Components are the exact pins found in the manifests
(requirements files, pyproject.toml); each dependency finding becomes a vulnerability that
affects its component, with CVSS ratings, the SSVC decision and the triage analysis.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from cyclonedx.model.bom import Bom
from cyclonedx.model.component import Component, ComponentType
from cyclonedx.model.impact_analysis import ImpactAnalysisJustification, ImpactAnalysisState
from cyclonedx.model.vulnerability import (
    BomTarget,
    Vulnerability,
    VulnerabilityAnalysis,
    VulnerabilityRating,
    VulnerabilityScoreSource,
    VulnerabilitySource,
)
from cyclonedx.output.json import JsonV1Dot6
from packageurl import PackageURL

from mamori.domain import Finding
from mamori.report.context import ReportContext, VexStatus, remediation, vex_view, vulnerability_id

_STATE = {
    VexStatus.AFFECTED: ImpactAnalysisState.EXPLOITABLE,
    VexStatus.NOT_AFFECTED: ImpactAnalysisState.NOT_AFFECTED,
    VexStatus.FIXED: ImpactAnalysisState.RESOLVED,
    VexStatus.UNDER_INVESTIGATION: ImpactAnalysisState.IN_TRIAGE,
}
_JUSTIFICATION = {
    "inline_mitigations_already_exist": ImpactAnalysisJustification.PROTECTED_BY_MITIGATING_CONTROL,
    "vulnerable_code_cannot_be_controlled_by_adversary": (
        ImpactAnalysisJustification.PROTECTED_AT_RUNTIME
    ),
}


def _purl(name: str, version: str) -> PackageURL:
    return PackageURL(type="pypi", name=name.lower().replace("_", "-"), version=version)


def build(ctx: ReportContext) -> dict[str, Any]:
    """The SBOM as CycloneDX JSON data."""
    bom = Bom()
    root = Component(
        name=ctx.product.name,
        version=ctx.product.version,
        type=ComponentType.APPLICATION,
        bom_ref=ctx.product.purl,
        purl=PackageURL.from_string(ctx.product.purl),
    )
    bom.metadata.component = root
    components: dict[tuple[str, str], Component] = {}

    def component(name: str, version: str) -> Component:
        key = (name, version)
        if key not in components:
            purl = _purl(name, version)
            components[key] = Component(
                name=name,
                version=version,
                type=ComponentType.LIBRARY,
                bom_ref=purl.to_string(),
                purl=purl,
            )
            bom.components.add(components[key])
        return components[key]

    for pin in ctx.product.dependencies:
        component(pin.package, pin.version)
    bom.register_dependency(root, list(components.values()))
    for f in ctx.findings:
        if f.dependency is None:
            continue
        c = component(f.dependency.package, f.dependency.version)
        bom.vulnerabilities.add(_vulnerability(ctx, f, c))
    text = JsonV1Dot6(bom).output_as_string(indent=2)
    data: dict[str, Any] = json.loads(text)
    return data


def _vulnerability(ctx: ReportContext, f: Finding, c: Component) -> Vulnerability:
    assert f.dependency is not None  # only dependency findings are in the SBOM
    view = vex_view(f, ctx.acceptances.get(f.id))
    ratings = []
    p = f.priority
    if p is not None:
        ratings = [
            VulnerabilityRating(
                score=Decimal(str(p.cvss_v3_score)),
                method=VulnerabilityScoreSource.CVSS_V3_1,
                vector=p.cvss_v3_vector,
            ),
            VulnerabilityRating(
                score=Decimal(str(p.cvss_v4_score)),
                method=VulnerabilityScoreSource.CVSS_V4,
                vector=p.cvss_v4_vector,
            ),
        ]
    justification = _JUSTIFICATION.get(view.justification or "")
    return Vulnerability(
        bom_ref=f"mamori:{f.id}",
        id=vulnerability_id(f),
        source=VulnerabilitySource(name="OSV"),
        ratings=ratings,
        description=f.message,
        recommendation=remediation(f),
        analysis=VulnerabilityAnalysis(
            state=_STATE[view.status],
            justification=justification,
            detail=view.impact or view.action or None,
        ),
        affects=[BomTarget(ref=c.bom_ref.value or "")],
    )
