"""The SSVC deployer decision (CISA/CERT "Stakeholder-Specific Vulnerability Categorization").

Decision points, in the order of the tree:

1. **Exploitation** -- ``active`` (the CVE is in CISA's KEV), ``public-poc`` (EPSS at or above
   the configured threshold, or Mamori confirmed an exploit itself) or ``none``.
2. **System exposure** -- ``small`` / ``controlled`` / ``open``, from the asset's exposure
   (isolated / internal / internet-facing).
3. **Automatable** -- ``yes`` when the attack is scriptable end to end (network, low
   complexity, no privileges, no user interaction in the CVSS v3.1 vector).
4. **Human impact** -- ``low`` / ``medium`` / ``high`` / ``very high``, combining *mission
   impact* (from the asset's criticality tier) and *well-being impact* (from its data classes).

The outcome is Defer, Scheduled, Out-of-cycle or Immediate. The outcome table is monotone in
every decision point (more exploitation, exposure, automation or impact never lowers the
priority) and follows the shape of the CERT/CC deployer table: for example, no exploitation on
a small, non-automatable, low-impact system defers; active exploitation of an open, automatable,
high-impact system is immediate. The path through the tree is returned with the outcome so that
every decision can be explained and audited.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from mamori.domain import AssetContext, Criticality, Exploitation, Exposure, SsvcDecision

SYSTEM_EXPOSURE = {
    Exposure.ISOLATED: "small",
    Exposure.INTERNAL: "controlled",
    Exposure.INTERNET_FACING: "open",
}
MISSION_IMPACT = {
    Criticality.LOW: "degraded",
    Criticality.MEDIUM: "mef-support-crippled",
    Criticality.HIGH: "mef-failure",
    Criticality.CRITICAL: "mission-failure",
}
HUMAN_IMPACT_LEVELS = ("low", "medium", "high", "very-high")
_EXPLOITATION_RANK = {Exploitation.NONE: 0, Exploitation.PUBLIC_POC: 1, Exploitation.ACTIVE: 2}
_EXPOSURE_RANK = {"small": 0, "controlled": 1, "open": 2}


@dataclass(frozen=True, kw_only=True)
class SsvcResult:
    decision: SsvcDecision
    path: tuple[str, ...]


def wellbeing_impact(asset: AssetContext, levels: Mapping[str, str]) -> str:
    """The worst well-being impact of the asset's data classes ("negligible" if none)."""
    order = ("negligible", "marginal", "critical", "catastrophic")
    worst = 0
    for cls in asset.data_classes:
        level = levels.get(cls.lower(), "negligible")
        worst = max(worst, order.index(level) if level in order else 0)
    return order[worst]


def human_impact(mission: str, wellbeing: str) -> str:
    """SSVC v2 "human impact" from mission impact and well-being (safety) impact."""
    if wellbeing == "catastrophic" or (wellbeing == "critical" and mission == "mission-failure"):
        return "very-high"
    if mission == "mission-failure" or (wellbeing == "critical" and mission == "mef-failure"):
        return "high"
    if mission == "mef-failure" or wellbeing == "critical":
        return "medium"
    return "low"


def outcome(
    exploitation: Exploitation, exposure: str, automatable: bool, impact: str
) -> SsvcDecision:
    """The deployer table, written as a sum of ranks with thresholds (see the module doc)."""
    points = (
        2 * _EXPLOITATION_RANK[exploitation]
        + _EXPOSURE_RANK[exposure]
        + int(automatable)
        + HUMAN_IMPACT_LEVELS.index(impact)
    )
    if points >= 9:
        return SsvcDecision.IMMEDIATE
    if points >= 6:
        return SsvcDecision.OUT_OF_CYCLE
    if points >= 2:
        return SsvcDecision.SCHEDULED
    return SsvcDecision.DEFER


def decide(
    *,
    exploitation: Exploitation,
    asset: AssetContext,
    automatable: bool,
    wellbeing_levels: Mapping[str, str],
) -> SsvcResult:
    exposure = SYSTEM_EXPOSURE[asset.exposure]
    mission = MISSION_IMPACT[asset.criticality]
    wellbeing = wellbeing_impact(asset, wellbeing_levels)
    impact = human_impact(mission, wellbeing)
    decision = outcome(exploitation, exposure, automatable, impact)
    path = (
        f"exploitation={exploitation.value}",
        f"exposure={exposure}",
        f"automatable={'yes' if automatable else 'no'}",
        f"human-impact={impact} (mission={mission}, well-being={wellbeing})",
        f"decision={decision.value}",
    )
    return SsvcResult(decision=decision, path=path)
