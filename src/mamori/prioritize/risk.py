"""A first risk score from severity, confidence and the asset's criticality and exposure.

The score is on a 0-10 scale, like CVSS, so that a later CVSS/KEV/EPSS/SSVC model can replace it
without changing how people read it. Every factor is recorded as a reason.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from mamori.domain import AssetContext, Confidence, Criticality, Exposure, Finding, Severity

SEVERITY_BASE = {
    Severity.INFO: 1.0,
    Severity.LOW: 3.0,
    Severity.MEDIUM: 5.5,
    Severity.HIGH: 7.5,
    Severity.CRITICAL: 9.0,
}
CONFIDENCE_FACTOR = {Confidence.LOW: 0.7, Confidence.MEDIUM: 0.85, Confidence.HIGH: 1.0}
CRITICALITY_FACTOR = {
    Criticality.LOW: 0.7,
    Criticality.MEDIUM: 0.85,
    Criticality.HIGH: 1.0,
    Criticality.CRITICAL: 1.15,
}
EXPOSURE_FACTOR = {
    Exposure.INTERNET_FACING: 1.15,
    Exposure.INTERNAL: 1.0,
    Exposure.ISOLATED: 0.8,
}


def score(finding: Finding, asset: AssetContext) -> tuple[float, tuple[str, ...]]:
    base = SEVERITY_BASE[finding.severity]
    value = (
        base
        * CONFIDENCE_FACTOR[finding.confidence]
        * CRITICALITY_FACTOR[asset.criticality]
        * EXPOSURE_FACTOR[asset.exposure]
    )
    value = round(min(10.0, max(0.0, value)), 1)
    reasons = (
        f"severity {finding.severity.value} (base {base})",
        f"confidence {finding.confidence.value} (x{CONFIDENCE_FACTOR[finding.confidence]})",
        f"asset criticality {asset.criticality.value} (x{CRITICALITY_FACTOR[asset.criticality]})",
        f"exposure {asset.exposure.value} (x{EXPOSURE_FACTOR[asset.exposure]})",
    )
    return value, reasons


def prioritise(
    findings: Sequence[Finding], asset_for: Callable[[str], AssetContext]
) -> list[Finding]:
    """The findings with their risk score set, highest first."""
    scored = []
    for f in findings:
        value, reasons = score(f, asset_for(f.location.path))
        scored.append(replace(f, risk_score=value, risk_reasons=reasons))
    scored.sort(key=lambda f: (-f.risk_score, f.location.path, f.location.start_line))
    return scored
