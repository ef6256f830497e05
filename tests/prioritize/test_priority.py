from __future__ import annotations

from pathlib import Path

import pytest

from mamori.config import Config
from mamori.domain import (
    AssetContext,
    Criticality,
    Exploitation,
    Exposure,
    Fingerprint,
    SsvcDecision,
)
from mamori.errors import ConfigError
from mamori.prioritize.feeds import load
from mamori.prioritize.risk import PriorityOptions, assess, prioritise
from tests.prioritize.conftest import COOKIE, SQLI, dep_finding

BANK = AssetContext(
    criticality=Criticality.CRITICAL,
    exposure=Exposure.INTERNET_FACING,
    owner="payments-team",
    data_classes=("payments", "pii"),
    regulatory=("PCI DSS",),
)
LAB = AssetContext(criticality=Criticality.LOW, exposure=Exposure.ISOLATED)


def test_kev_means_active_exploitation_and_epss_a_poc(kev_path: Path, epss_path: Path) -> None:
    options = PriorityOptions(feeds=load(kev=kev_path, epss=epss_path))
    kev = assess(dep_finding("CVE-2021-44228"), BANK, options)
    assert kev.kev and kev.exploitation is Exploitation.ACTIVE
    assert kev.cves == ("CVE-2021-44228",) and kev.epss is not None
    poc = assess(dep_finding("CVE-2099-0001"), BANK, options)
    assert not poc.kev and poc.exploitation is Exploitation.PUBLIC_POC
    low = assess(dep_finding("CVE-2099-0002"), BANK, options)
    assert low.exploitation is Exploitation.NONE and low.epss == 0.0004


def test_confirmed_exploit_counts_as_poc() -> None:
    options = PriorityOptions(confirmed_exploits={Fingerprint(SQLI.fingerprint)})
    assert assess(SQLI, LAB, options).exploitation is Exploitation.PUBLIC_POC
    assert assess(SQLI, LAB, PriorityOptions()).exploitation is Exploitation.NONE


def test_asset_drives_ssvc_and_sla(kev_path: Path) -> None:
    options = PriorityOptions(feeds=load(kev=kev_path, epss=None))
    urgent = assess(dep_finding("CVE-2021-44228"), BANK, options)
    assert urgent.ssvc is SsvcDecision.IMMEDIATE and urgent.sla_days == 2
    assert urgent.owner == "payments-team"
    calm = assess(COOKIE, LAB, options)
    assert calm.ssvc is SsvcDecision.DEFER and calm.sla_days == 180
    assert calm.ssvc_path[0] == "exploitation=none"


def test_prioritise_orders_by_ssvc_then_risk(kev_path: Path) -> None:
    options = PriorityOptions(feeds=load(kev=kev_path, epss=None))
    kev = dep_finding("CVE-2021-44228")
    assets = {"requirements.txt": LAB, "app/views.py": BANK}
    ordered = prioritise([COOKIE, SQLI, kev], lambda p: assets[p], options)
    # SQLi on the internet-facing payments app: out-of-cycle; the KEV CVE in an isolated lab
    # and the cookie flag: scheduled, the KEV one first by its higher risk score.
    assert [f.id for f in ordered] == [SQLI.id, kev.id, COOKIE.id]
    assert [f.priority.ssvc for f in ordered if f.priority] == [
        SsvcDecision.OUT_OF_CYCLE,
        SsvcDecision.SCHEDULED,
        SsvcDecision.SCHEDULED,
    ]
    decisions = [f.priority.ssvc.rank for f in ordered if f.priority]
    assert decisions == sorted(decisions, reverse=True)
    assert all(f.priority is not None and f.risk_reasons[0].startswith("SSVC") for f in ordered)


def test_config_sets_inventory_sla_cvss_and_feeds(tmp_path: Path, kev_path: Path) -> None:
    (tmp_path / "mamori.toml").write_text(
        f"""
[asset]
criticality = "high"
exposure = "internal"
owner = "core"
data_classes = ["pii"]
regulatory = ["DORA"]

[[asset.paths]]
glob = "app/*"
exposure = "internet-facing"
owner = "web"
data_classes = ["payments"]
regulatory = ["PCI DSS", "DORA"]

[priority]
kev = "{kev_path}"
epss_poc_threshold = 0.5

[priority.sla]
immediate = 1
out-of-cycle = 5

[priority.cvss.rules."mamori:python/sql-injection"]
v3 = "CVSS:3.1/AV:N/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N"

[priority.wellbeing]
payments = "catastrophic"
""",
        encoding="utf-8",
    )
    config = Config.load(tmp_path)
    web = config.asset_for("app/views.py")
    assert web.owner == "web" and web.data_classes == ("payments",)
    assert web.regulatory == ("PCI DSS", "DORA")
    assert config.asset_for("lib/x.py").data_classes == ("pii",)
    options = PriorityOptions.from_config(config)
    assert "CVE-2021-44228" in options.feeds.kev
    assert options.settings.sla_days["immediate"] == 1
    p = assess(SQLI, web, options)
    assert p.cvss_source.startswith("v3 rule override") and p.cvss_v3_score < 4
    assert "well-being=catastrophic" in p.ssvc_path[3]
    assert not p.automatable
    # The finding records the inventory facts it was prioritised with.
    [ranked] = prioritise([SQLI], config.asset_for, options)
    assert ranked.location.path.startswith("app/")
    assert "asset owner web; data payments; regulatory PCI DSS, DORA" in ranked.risk_reasons


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[priority.wellbeing]\npii = "awful"\n', "not one of"),
        ('[priority.cvss.cwe."sql"]\nv3 = "AV:N"\n', "not a CWE number"),
        ("[priority.sla]\nsoon = 1\n", "soon"),
        ("[priority]\nepss_poc_threshold = 2\n", "epss_poc_threshold"),
    ],
)
def test_invalid_priority_config_is_rejected(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "mamori.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        Config.load(tmp_path)


def test_default_sla_and_wellbeing(tmp_path: Path) -> None:
    settings = Config.load(tmp_path).priority
    assert dict(settings.sla_days) == {
        "immediate": 2,
        "out-of-cycle": 7,
        "scheduled": 30,
        "defer": 180,
    }
    assert settings.wellbeing["payments"] == "critical"
