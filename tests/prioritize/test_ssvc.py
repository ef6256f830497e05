from __future__ import annotations

import itertools

from mamori.domain import AssetContext, Criticality, Exploitation, Exposure, SsvcDecision
from mamori.prioritize.ssvc import HUMAN_IMPACT_LEVELS, decide, human_impact, outcome

EXPOSURES = ("small", "controlled", "open")


def test_extremes_of_the_deployer_tree() -> None:
    assert outcome(Exploitation.NONE, "small", False, "low") is SsvcDecision.DEFER
    assert outcome(Exploitation.ACTIVE, "open", True, "very-high") is SsvcDecision.IMMEDIATE
    assert outcome(Exploitation.NONE, "open", True, "very-high") is SsvcDecision.OUT_OF_CYCLE
    assert outcome(Exploitation.ACTIVE, "small", False, "low") is SsvcDecision.SCHEDULED


def test_outcome_is_monotone_in_every_decision_point() -> None:
    points = list(
        itertools.product(list(Exploitation), EXPOSURES, (False, True), HUMAN_IMPACT_LEVELS)
    )
    rank = {e: i for i, e in enumerate(Exploitation)}
    for a, b in itertools.product(points, points):
        dominated = (
            rank[a[0]] <= rank[b[0]]
            and EXPOSURES.index(a[1]) <= EXPOSURES.index(b[1])
            and a[2] <= b[2]
            and HUMAN_IMPACT_LEVELS.index(a[3]) <= HUMAN_IMPACT_LEVELS.index(b[3])
        )
        if dominated:
            assert outcome(*a).rank <= outcome(*b).rank, (a, b)


def test_human_impact_combines_mission_and_wellbeing() -> None:
    assert human_impact("degraded", "negligible") == "low"
    assert human_impact("mef-failure", "negligible") == "medium"
    # CERT/CC's table: mission failure alone is already "very high".
    assert human_impact("mission-failure", "negligible") == "very-high"
    assert human_impact("mef-support-crippled", "critical") == "high"
    assert human_impact("degraded", "critical") == "medium"
    assert human_impact("degraded", "catastrophic") == "very-high"


def test_path_records_every_decision_point_from_the_asset() -> None:
    asset = AssetContext(
        criticality=Criticality.CRITICAL,
        exposure=Exposure.INTERNET_FACING,
        data_classes=("payments",),
    )
    result = decide(
        exploitation=Exploitation.ACTIVE,
        asset=asset,
        automatable=True,
        wellbeing_levels={"payments": "critical"},
    )
    assert result.decision is SsvcDecision.IMMEDIATE
    assert result.path == (
        "exploitation=active",
        "exposure=open",
        "automatable=yes",
        "human-impact=very-high (mission=mission-failure, well-being=critical)",
        "decision=immediate",
        "table=ssvc:Deployer Patch Application Priority:1.0.0",
    )
