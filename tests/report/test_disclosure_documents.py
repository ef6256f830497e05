"""CSAF (advisory and VEX), OpenVEX, OSV and CycloneDX documents, each validated against its
schema, for first-party and dependency findings in every triage state."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator

from mamori.config import Config, ReportSettings
from mamori.domain import (
    AssetContext,
    Confidence,
    Criticality,
    Exposure,
    FindingId,
    FindingStatus,
    Fingerprint,
    Location,
    Suppression,
)
from mamori.errors import Error
from mamori.prioritize.feeds import load
from mamori.prioritize.risk import PriorityOptions, prioritise
from mamori.report import csaf, openvex, osv, sbom
from mamori.report.context import ReportContext, ReportError, read_product
from tests.prioritize.conftest import COOKIE, KEV_JSON, SQLI, dep_finding
from tests.report import schemas

NOW = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
BANK = AssetContext(
    criticality=Criticality.CRITICAL,
    exposure=Exposure.INTERNET_FACING,
    data_classes=("payments",),
)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "Bank_Payments"\nversion = "2.3.1"\n', encoding="utf-8"
    )
    (tmp_path / "requirements.txt").write_text(
        "flask==2.0.1\nsomepkg==1.0\nrequests==2.31.0\n", encoding="utf-8"
    )
    (tmp_path / "mamori.toml").write_text(
        '[report]\npublisher = "Example Bank"\nnamespace = "https://bank.example"\n'
        'published = ["bank-payments"]\n',
        encoding="utf-8",
    )
    return tmp_path


def _findings() -> list[Any]:
    dismissed = replace(
        COOKIE,
        id=FindingId("F-fp"),
        fingerprint=Fingerprint("fp-fp"),
        status=FindingStatus.FALSE_POSITIVE,
        suppression=Suppression(
            rule="triage",
            reason="constant_argument: the value is a literal",
            location=Location(path="x.py", start_line=0),
        ),
    )
    suppressed = replace(
        dismissed,
        id=FindingId("F-sup"),
        fingerprint=Fingerprint("fp-sup"),
        status=FindingStatus.SUPPRESSED,
    )
    unsure = replace(
        SQLI, id=FindingId("F-unsure"), fingerprint=Fingerprint("fp-u"), confidence=Confidence.LOW
    )
    fixed = replace(dep_finding("CVE-2099-0002", fid="F-fixed"), status=FindingStatus.FIXED)
    base = [SQLI, dismissed, suppressed, unsure, dep_finding("CVE-2021-44228"), fixed]
    feeds = load(kev=KEV_JSON if KEV_JSON.is_file() else None, epss=None)
    return prioritise(base, lambda p: BANK, PriorityOptions(feeds=feeds))


def _ctx(repo: Path, findings: list[Any] | None = None) -> ReportContext:
    config = Config.load(repo)
    return ReportContext(
        root=repo,
        product=read_product(repo, config),
        settings=config.report,
        findings=tuple(findings if findings is not None else _findings()),
        now=NOW,
    )


def test_product_from_pyproject_and_manifests(repo: Path) -> None:
    product = read_product(repo, Config.load(repo))
    assert (product.name, product.version, product.published) == ("Bank_Payments", "2.3.1", True)
    assert product.purl == "pkg:pypi/bank-payments@2.3.1"
    assert {p.package for p in product.dependencies} == {"flask", "somepkg", "requests"}


@pytest.mark.parametrize("profile", [csaf.ADVISORY, csaf.VEX])
def test_csaf_is_valid_with_product_tree_cvss_and_statuses(repo: Path, profile: str) -> None:
    doc = csaf.build(_ctx(repo), profile=profile)
    schemas.csaf()(doc)
    assert doc["document"]["category"] == profile
    assert doc["document"]["publisher"]["name"] == "Example Bank"
    tree = json.dumps(doc["product_tree"])
    assert "pkg:pypi/bank-payments@2.3.1" in tree and "pkg:pypi/somepkg@1.0" in tree
    assert doc["product_tree"]["relationships"][0]["category"] == "default_component_of"
    by_id = {v["ids"][0]["text"]: v for v in doc["vulnerabilities"]}
    sqli = by_id[SQLI.id]
    assert sqli["cwe"]["id"] == "CWE-89"
    assert sqli["scores"][0]["cvss_v3"]["baseScore"] == 9.8
    assert "known_affected" in sqli["product_status"] and sqli["remediations"]
    assert by_id["F-fp"]["flags"][0]["label"] == (
        "vulnerable_code_cannot_be_controlled_by_adversary"
    )
    assert by_id["F-sup"]["flags"][0]["label"] == "inline_mitigations_already_exist"
    assert "under_investigation" in by_id["F-unsure"]["product_status"]
    assert "fixed" in by_id["F-fixed"]["product_status"]
    kev = by_id["F-dep"]
    assert kev["cve"] == "CVE-2021-44228"
    if KEV_JSON.is_file():
        assert any("KEV yes" in n["text"] for n in kev["notes"])


def test_csaf_schema_check_is_real(repo: Path) -> None:
    doc = csaf.build(_ctx(repo))
    del doc["document"]["tracking"]["id"]
    with pytest.raises(AssertionError, match="id"):
        schemas.csaf()(doc)


def test_csaf_for_one_finding(repo: Path) -> None:
    doc = csaf.build(_ctx(repo, [f for f in _findings() if f.id == SQLI.id]))
    schemas.csaf()(doc)
    assert len(doc["vulnerabilities"]) == 1
    assert doc["document"]["title"].startswith("Bank_Payments 2.3.1: MAMORI-F-sqli")
    assert "relationships" not in doc["product_tree"]


def test_openvex_statements_cover_every_status(repo: Path) -> None:
    doc = openvex.build(_ctx(repo))
    schemas.openvex()(doc)
    statuses = {s["status"] for s in doc["statements"]}
    assert statuses == {"affected", "not_affected", "fixed", "under_investigation"}
    for s in doc["statements"]:
        if s["status"] == "not_affected":
            assert s["justification"] and s["impact_statement"]
        if s["status"] == "affected":
            assert s["action_statement"]
    dep = next(s for s in doc["statements"] if s["vulnerability"]["name"] == "CVE-2021-44228")
    assert dep["products"][0]["subcomponents"][0]["@id"] == "pkg:pypi/somepkg@1.0"
    assert dep["vulnerability"]["aliases"] == ["PYSEC-2099-1"]


def test_osv_records_only_first_party_and_not_dismissed(repo: Path) -> None:
    records = osv.build(_ctx(repo))
    validate = schemas.osv()
    for r in records:
        validate(r)
    ids = {r["database_specific"]["mamori_finding"] for r in records}
    assert ids == {SQLI.id, "F-unsure"}
    r = next(r for r in records if r["database_specific"]["mamori_finding"] == SQLI.id)
    assert r["affected"][0]["package"] == {
        "ecosystem": "PyPI",
        "name": "Bank_Payments",
        "purl": "pkg:pypi/bank-payments",
    }
    assert r["severity"][0]["score"].startswith("CVSS:3.1/")


def test_osv_needs_a_published_package(repo: Path) -> None:
    ctx = _ctx(repo)
    ctx = replace(ctx, product=replace(ctx.product, published=False), settings=ReportSettings())
    with pytest.raises(ReportError, match="published") as info:
        osv.build(ctx)
    assert isinstance(info.value, Error)


def test_sbom_lists_dependencies_and_their_vulnerabilities(repo: Path) -> None:
    doc = sbom.build(_ctx(repo))
    errors = JsonStrictValidator(SchemaVersion.V1_6).validate_str(json.dumps(doc))
    assert errors is None, errors
    names = {c["name"] for c in doc["components"]}
    assert names == {"flask", "somepkg", "requests"}
    vulns = {v["id"]: v for v in doc["vulnerabilities"]}
    assert set(vulns) == {"CVE-2021-44228", "CVE-2099-0002"}
    assert vulns["CVE-2021-44228"]["affects"][0]["ref"] == "pkg:pypi/somepkg@1.0"
    assert vulns["CVE-2099-0002"]["analysis"]["state"] == "resolved"
    assert {r["method"] for r in vulns["CVE-2021-44228"]["ratings"]} == {"CVSSv31", "CVSSv4"}


def test_documents_need_findings(repo: Path) -> None:
    builders: list[Callable[[ReportContext], Any]] = [csaf.build, openvex.build]
    for build in builders:
        with pytest.raises(ReportError, match="no findings"):
            build(_ctx(repo, []))
