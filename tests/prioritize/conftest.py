"""Fixtures for the prioritisation tests: sample findings and the real KEV catalog."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from mamori.domain import (
    Confidence,
    DependencyRef,
    Finding,
    FindingId,
    Fingerprint,
    Location,
    RuleId,
    Severity,
)

KEV_JSON = (
    Path(__file__).resolve().parents[2].parent
    / "shared"
    / "data"
    / "cisa-kev"
    / "known_exploited_vulnerabilities.json"
)

SQLI = Finding(
    id=FindingId("F-sqli"),
    fingerprint=Fingerprint("fp-sqli"),
    rule_id=RuleId("mamori:python/sql-injection"),
    cwe=89,
    message="SQL built from request data",
    location=Location(path="app/views.py", start_line=10),
    snippet="",
    severity=Severity.HIGH,
    confidence=Confidence.HIGH,
    sources=(),
)
COOKIE = replace(
    SQLI,
    id=FindingId("F-cookie"),
    fingerprint=Fingerprint("fp-cookie"),
    rule_id=RuleId("mamori:python/cookie-flags"),
    cwe=614,
    severity=Severity.LOW,
)


def dep_finding(cve: str, *, fid: str = "F-dep") -> Finding:
    return replace(
        SQLI,
        id=FindingId(fid),
        fingerprint=Fingerprint(f"fp-{fid}"),
        rule_id=RuleId("deps:vulnerable-dependency"),
        cwe=1395,
        severity=Severity.HIGH,
        location=Location(path="requirements.txt", start_line=1),
        dependency=DependencyRef(
            package="somepkg",
            version="1.0",
            manifest="requirements.txt",
            advisory_id="PYSEC-2099-1",
            aliases=(cve,),
            fixed_versions=("1.1",),
        ),
    )


@pytest.fixture(scope="session")
def kev_path() -> Path:
    if not KEV_JSON.is_file():
        pytest.skip(f"the KEV catalog is not at {KEV_JSON}")
    return KEV_JSON


EPSS_CSV = """\
#model_version:v2025.03.14,score_date:2025-08-25T12:55:00Z
cve,epss,percentile
CVE-2099-0001,0.97000,0.99900
CVE-2099-0002,0.00040,0.10000
CVE-2021-44228,0.94358,0.99950
"""


@pytest.fixture
def epss_path(tmp_path: Path) -> Path:
    p = tmp_path / "epss_scores-2025-08-25.csv"
    p.write_text(EPSS_CSV, encoding="utf-8")
    return p


from tests.store_fixtures import store, store_url  # noqa: E402

__all__ = ["store", "store_url"]
