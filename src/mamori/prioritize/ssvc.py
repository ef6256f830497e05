"""The SSVC deployer decision (Stakeholder-Specific Vulnerability Categorization, CERT/CC).

Mamori implements CERT/CC's published tables, as shipped in their ``certcc-ssvc`` package
(version 2026.10.0), row for row:

* the deployer table :data:`DEPLOYER_TABLE_ID` (``ssvc:Deployer Patch Application
  Priority:1.0.0``), with the decision points Exploitation 1.1.0, System Exposure 1.0.1,
  Automatable 2.0.0 and Human Impact 2.0.2, and the outcome group DSOI 1.0.0 (Defer /
  Scheduled / Out-of-Cycle / Immediate);
* the human impact table :data:`HUMAN_IMPACT_TABLE_ID` (``ssvc:Human Impact:1.0.0``), which
  combines Safety Impact 2.0.1 (Mamori's *well-being* impact) and Mission Impact 2.0.0.

``tests/prioritize/test_ssvc_certcc.py`` compares both tables, for every combination of inputs,
with CERT/CC's (with the package itself where it is installed: it needs Python 3.12).

Where Mamori's inputs come from:

1. **Exploitation** -- ``active`` (the CVE is in CISA's KEV), ``public-poc`` (EPSS at or above
   the configured threshold, or Mamori confirmed an exploit itself) or ``none``.
2. **System exposure** -- ``small`` / ``controlled`` / ``open``, from the asset's exposure
   (isolated / internal / internet-facing).
3. **Automatable** -- ``yes`` when the attack is scriptable end to end (network, low
   complexity, no privileges, no user interaction in the CVSS v3.1 vector).
4. **Human impact** -- ``low`` / ``medium`` / ``high`` / ``very-high``, from *mission
   impact* (the asset's criticality tier) and *well-being impact* (its data classes).

The path through the tree, ending with the table's id, is returned with the outcome so that
every decision can be explained and audited.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from mamori.domain import AssetContext, Criticality, Exploitation, Exposure, SsvcDecision

# The official ids (namespace:name:version) of the CERT/CC tables implemented below.
DEPLOYER_TABLE_ID = "ssvc:Deployer Patch Application Priority:1.0.0"
HUMAN_IMPACT_TABLE_ID = "ssvc:Human Impact:1.0.0"
CERTCC_SSVC_VERSION = "2026.10.0"  # the certcc-ssvc release the tables were checked against

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
EXPOSURE_LEVELS = ("small", "controlled", "open")
MISSION_LEVELS = ("degraded", "mef-support-crippled", "mef-failure", "mission-failure")
WELLBEING_LEVELS = ("negligible", "marginal", "critical", "catastrophic")
HUMAN_IMPACT_LEVELS = ("low", "medium", "high", "very-high")

_D, _S, _O, _I = (
    SsvcDecision.DEFER,
    SsvcDecision.SCHEDULED,
    SsvcDecision.OUT_OF_CYCLE,
    SsvcDecision.IMMEDIATE,
)
_N, _P, _A = Exploitation.NONE, Exploitation.PUBLIC_POC, Exploitation.ACTIVE

# ssvc:Deployer Patch Application Priority:1.0.0, one row per (exploitation, exposure,
# automatable); the four outcomes are for human impact low, medium, high, very-high.
_DEPLOYER: dict[tuple[Exploitation, str, bool], tuple[SsvcDecision, ...]] = {
    (_N, "small", False): (_D, _D, _S, _S),
    (_N, "small", True): (_D, _S, _S, _S),
    (_N, "controlled", False): (_D, _S, _S, _S),
    (_N, "controlled", True): (_S, _S, _S, _S),
    (_N, "open", False): (_D, _S, _S, _S),
    (_N, "open", True): (_S, _S, _S, _O),
    (_P, "small", False): (_D, _S, _S, _S),
    (_P, "small", True): (_S, _S, _S, _S),
    (_P, "controlled", False): (_D, _S, _S, _S),
    (_P, "controlled", True): (_S, _S, _S, _O),
    (_P, "open", False): (_S, _S, _S, _O),
    (_P, "open", True): (_S, _S, _O, _O),
    (_A, "small", False): (_S, _S, _O, _O),
    (_A, "small", True): (_S, _O, _O, _O),
    (_A, "controlled", False): (_S, _S, _O, _O),
    (_A, "controlled", True): (_O, _O, _O, _O),
    (_A, "open", False): (_S, _O, _O, _I),
    (_A, "open", True): (_O, _O, _I, _I),
}

# ssvc:Human Impact:1.0.0, one row per well-being (safety) impact; the four values are for
# mission impact degraded, MEF support crippled, MEF failure, mission failure.
_HUMAN_IMPACT: dict[str, tuple[str, str, str, str]] = {
    "negligible": ("low", "low", "medium", "very-high"),
    "marginal": ("low", "low", "medium", "very-high"),
    "critical": ("medium", "high", "high", "very-high"),
    "catastrophic": ("very-high", "very-high", "very-high", "very-high"),
}


@dataclass(frozen=True, kw_only=True)
class SsvcResult:
    decision: SsvcDecision
    path: tuple[str, ...]


def wellbeing_impact(asset: AssetContext, levels: Mapping[str, str]) -> str:
    """The worst well-being impact of the asset's data classes ("negligible" if none)."""
    worst = 0
    for cls in asset.data_classes:
        level = levels.get(cls.lower(), "negligible")
        worst = max(worst, WELLBEING_LEVELS.index(level) if level in WELLBEING_LEVELS else 0)
    return WELLBEING_LEVELS[worst]


def human_impact(mission: str, wellbeing: str) -> str:
    """SSVC "human impact" from mission impact and well-being (safety) impact
    (CERT/CC table ``ssvc:Human Impact:1.0.0``)."""
    return _HUMAN_IMPACT[wellbeing][MISSION_LEVELS.index(mission)]


def outcome(
    exploitation: Exploitation, exposure: str, automatable: bool, impact: str
) -> SsvcDecision:
    """The deployer's priority (CERT/CC table ``ssvc:Deployer Patch Application
    Priority:1.0.0``)."""
    return _DEPLOYER[(exploitation, exposure, automatable)][HUMAN_IMPACT_LEVELS.index(impact)]


def decision_points(path: tuple[str, ...]) -> tuple[str, ...]:
    """The ``name=value`` inputs of a recorded path, without its decision and table id."""
    return tuple(x for x in path if not x.startswith(("decision=", "table=")))


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
        f"table={DEPLOYER_TABLE_ID}",
    )
    return SsvcResult(decision=decision, path=path)
