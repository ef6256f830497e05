from __future__ import annotations

from dataclasses import replace

from mamori.domain import AssetContext, Criticality, Exposure, Severity
from mamori.prioritize.risk import prioritise, score
from tests.gate.test_policy import FINDING


def test_exposure_and_criticality_raise_the_score() -> None:
    low, _ = score(FINDING, AssetContext(criticality=Criticality.LOW, exposure=Exposure.ISOLATED))
    high, reasons = score(
        FINDING, AssetContext(criticality=Criticality.CRITICAL, exposure=Exposure.INTERNET_FACING)
    )
    assert 0 <= low < high <= 10
    assert any("internet-facing" in r for r in reasons)


def test_prioritise_sorts_highest_first() -> None:
    a = replace(FINDING, severity=Severity.LOW)
    b = replace(FINDING, severity=Severity.CRITICAL)
    ordered = prioritise([a, b], lambda p: AssetContext())
    assert [f.severity for f in ordered] == [Severity.CRITICAL, Severity.LOW]
    assert ordered[0].risk_reasons
