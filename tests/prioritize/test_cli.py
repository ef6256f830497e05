"""The priority, disclosure and reporting commands end to end on a small real repository."""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator

from tests.e2e.helpers import mamori as mamori_subprocess
from tests.prioritize.conftest import KEV_JSON
from tests.report import schemas

APP = """\
import subprocess

import yaml


def load(text):
    return yaml.load(text, Loader=yaml.Loader)


def ping(host):
    return subprocess.run(f"ping -c 1 {host}", shell=True, check=False)
"""
CONFIG = """\
[project]
name = "bank-app"

[asset]
criticality = "critical"
exposure = "internet-facing"
owner = "payments"
data_classes = ["payments"]
regulatory = ["PCI DSS"]

[report]
publisher = "Example Bank"
namespace = "https://bank.example"
published = ["bank-app"]
"""
# pyyaml 5.1 is affected by PYSEC-2020-176 (CVE-2019-20477), which we mark as exploited.
EPSS = "#model_version:v2025.03.14,score_date:2025-08-25T00:00:00+0000\ncve,epss,percentile\n"


def mamori(*args: str, actor: str | None = None) -> subprocess.CompletedProcess[str]:
    """The CLI in this process (a subprocess per command costs seconds of imports)."""
    from mamori.cli.main import main

    out, err = io.StringIO(), io.StringIO()
    saved = os.environ.get("MAMORI_ACTOR")
    os.environ["MAMORI_ACTOR"] = actor or "tester"
    code: int | str | None = 0
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            main(list(args))
    except SystemExit as e:
        code = e.code
    finally:
        if saved is None:
            os.environ.pop("MAMORI_ACTOR", None)
        else:
            os.environ["MAMORI_ACTOR"] = saved
    return subprocess.CompletedProcess(list(args), int(code or 0), out.getvalue(), err.getvalue())


def mamori_json(*args: str) -> Any:
    proc = mamori(*args, "--json")
    assert proc.stdout.strip(), f"no output (exit {proc.returncode}): {proc.stderr}"
    return json.loads(proc.stdout)


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.conftest import init_repo

    root = init_repo(
        tmp_path_factory.mktemp("prio") / "repo",
        {"app.py": APP, "requirements.txt": "pyyaml==5.1\n", "mamori.toml": CONFIG},
    )
    catalog = json.loads(KEV_JSON.read_text(encoding="utf-8")) if KEV_JSON.is_file() else {}
    entry = {
        "cveID": "CVE-2019-20477",
        "vendorProject": "PyYAML",
        "product": "PyYAML",
        "vulnerabilityName": "test entry",
        "dateAdded": "2025-01-01",
        "shortDescription": "",
        "requiredAction": "",
        "dueDate": "2025-01-22",
        "knownRansomwareCampaignUse": "Unknown",
        "notes": "",
    }
    catalog = {
        "catalogVersion": catalog.get("catalogVersion", "test"),
        "vulnerabilities": [entry, *catalog.get("vulnerabilities", [])[:50]],
    }
    feeds = root.parent / "feeds"
    feeds.mkdir()
    (feeds / "kev.json").write_text(json.dumps(catalog), encoding="utf-8")
    (feeds / "epss.csv").write_text(EPSS + "CVE-2019-20477,0.91,0.99\n", encoding="utf-8")
    up = mamori(
        "feeds", "update", "--kev", str(feeds / "kev.json"), "--epss", str(feeds / "epss.csv"),
        "-C", str(root),
    )  # fmt: skip
    assert up.returncode == 0, up.stderr
    # The whole pipeline once, as a user would run it (a real subprocess).
    run = mamori_subprocess("run", str(root), "--json", actor="alice")
    assert run.returncode in (0, 9), run.stdout + run.stderr  # 9: the repo has no tests
    return root


def test_feeds_drive_the_queue_order(repo: Path) -> None:
    shown = mamori_json("feeds", "show", "-C", str(repo))
    assert shown["epss_entries"] == 1 and shown["kev_entries"] >= 1
    items = mamori_json("findings", "-C", str(repo))
    top = items[0]
    assert top["dependency"]["package"] == "pyyaml"
    assert top["priority"]["kev"] is True and top["priority"]["ssvc"] == "immediate"
    assert top["priority"]["ssvc_path"][0] == "exploitation=active"
    assert top["priority"]["ssvc_path"][-1] == (
        "table=ssvc:Deployer Patch Application Priority:1.0.0"
    )
    # Why it is first, and its deadline (first seen today, so not in breach).
    assert top["why"].startswith("exploitation active, exposure open, automatable ")
    assert "in CISA KEV" in top["why"] and "EPSS 0.910" in top["why"]
    assert top["sla"]["due"] and top["sla"]["breached"] is False
    assert top["sla"]["days_left"] == top["priority"]["sla_days"]
    assert top["risk_acceptance"] is None
    ranks = ["defer", "scheduled", "out-of-cycle", "immediate"]
    order = [ranks.index(f["priority"]["ssvc"]) for f in items]
    assert order == sorted(order, reverse=True)
    from mamori.cli.output import out as console

    saved = console._width  # tables wrap at 80 columns when not on a terminal
    console.width = 250
    try:
        table = mamori("findings", "-C", str(repo))
    finally:
        console._width = saved
    assert "immediate" in table.stdout and "due " in table.stdout


def test_accept_risk_removes_from_queue(repo: Path) -> None:
    items = mamori_json("findings", "-C", str(repo))
    last = items[-1]["id"]
    bad = mamori(
        "accept-risk", last, "--owner", "ciso", "--reason", "r", "--expires", "2001-01-01",
        "-C", str(repo),
    )  # fmt: skip
    assert bad.returncode == 2 and "not in the future" in bad.stderr
    ok = mamori(
        "accept-risk", last, "--owner", "ciso", "--reason", "WAF rule 12", "--expires",
        "2999-01-01", "-C", str(repo), actor="carol",
    )  # fmt: skip
    assert ok.returncode == 0, ok.stderr
    after = [f["id"] for f in mamori_json("findings", "-C", str(repo))]
    assert last not in after and len(after) == len(items) - 1
    everything = {f["id"]: f for f in mamori_json("findings", "--status", "all", "-C", str(repo))}
    assert last in everything
    acceptance = everything[last]["risk_acceptance"]
    assert (acceptance["owner"], acceptance["reason"]) == ("ciso", "WAF rule 12")
    assert acceptance["expires"].startswith("2999-01-01")
    chart = repo.parent / "accepted.svg"
    metrics = mamori_json("metrics", "--chart", str(chart), "-C", str(repo))
    assert metrics["risk_accepted"] == 1  # out of the SLA figures while accepted


def _report(repo: Path, kind: str, *extra: str) -> Any:
    out = repo.parent / f"{kind}.json"
    proc = mamori("report", kind, "-o", str(out), "-C", str(repo), *extra)
    assert proc.returncode == 0, proc.stderr
    return json.loads(out.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("kind", "validate"),
    [("csaf", schemas.csaf), ("csaf-vex", schemas.csaf), ("openvex", schemas.openvex)],
)
def test_reports_validate(repo: Path, kind: str, validate: Callable[[], Any]) -> None:
    validate()(_report(repo, kind))


def test_osv_and_sbom_reports(repo: Path) -> None:
    records = _report(repo, "osv")
    records = records if isinstance(records, list) else [records]
    check = schemas.osv()
    for r in records:
        check(r)
        assert r["affected"][0]["package"]["name"] == "bank-app"
    bom = _report(repo, "sbom")
    assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(json.dumps(bom)) is None
    assert [c["name"] for c in bom["components"]] == ["pyyaml"]
    assert bom["vulnerabilities"][0]["id"] == "CVE-2019-20477"


def test_report_one_finding_and_unknown_kind(repo: Path) -> None:
    fid = mamori_json("findings", "-C", str(repo))[0]["id"]
    doc = _report(repo, "csaf", "--finding", fid)
    assert len(doc["vulnerabilities"]) == 1 and doc["vulnerabilities"][0]["cve"]
    assert mamori("report", "pdf", "-C", str(repo)).returncode == 2


def test_disclosure_flow(repo: Path) -> None:
    case = mamori_json(
        "disclosure", "open", "--title", "yaml.load default loader", "--vendor", "PyYAML",
        "--contact", "security@pyyaml.example", "--embargo", "2999-01-01", "-C", str(repo),
    )  # fmt: skip
    cid = case["id"]
    assert mamori("disclosure", "advance", cid, "acknowledged", "-C", str(repo)).returncode == 0
    early = mamori("disclosure", "advance", cid, "published", "-C", str(repo))
    assert early.returncode == 11 and "embargo" in early.stderr
    listed = mamori_json("disclosure", "list", "-C", str(repo))
    assert [c["case"]["state"] for c in listed] == ["acknowledged"]
    assert listed[0]["overdue"] is None


def test_metrics_json_and_chart(repo: Path) -> None:
    chart = repo.parent / "backlog.svg"
    data = mamori_json("metrics", "--chart", str(chart), "-C", str(repo))
    assert data["findings"] >= 3 and len(data["backlog"]) == 1
    assert data["decisions"] >= 1 and data["auto_accept_rate"] is not None
    assert data["sla_tracked"] + data["risk_accepted"] >= 3  # accepted ones: clock stopped
    assert ET.parse(chart).getroot().tag.endswith("svg")
    png = repo.parent / "backlog.png"
    again = mamori_json("metrics", "--chart", str(png), "-C", str(repo))
    assert again["chart"] == str(png) and png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    bad = mamori("metrics", "--chart", str(repo.parent / "backlog.gif"), "-C", str(repo))
    assert bad.returncode == 2 and "*.png" in bad.stderr
