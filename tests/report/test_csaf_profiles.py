"""CSAF documents against the CSAF 2.0 mandatory tests beyond the JSON schema.

The schema cannot express the profiles' rules (section 6.1.27: a VEX document states the
impact of every "known not affected" and an action for every "known affected", ...) nor the
product id tests (6.1.1 defined, 6.1.2 unique, 6.1.6 contradicting statuses). ``csaf-lib``
implements them; the security advisory profile's own elements are checked here.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from csaf_lib.verification.csaf_compliance import (
    ALL_CSAF_COMPLIANCE_TESTS,
    verify_action_statement_requirement,
    verify_impact_statement_requirement,
    verify_vex_profile_conformance,
)
from csaf_lib.verification.result import VerificationStatus

from mamori.report import csaf
from tests.report import schemas
from tests.report.test_disclosure_documents import _ctx, repo

__all__ = ["repo"]


def _failures(doc: dict[str, Any], *, skip: tuple[Any, ...] = ()) -> list[str]:
    results = [t(doc) for t in ALL_CSAF_COMPLIANCE_TESTS if t not in skip]
    assert len(results) >= 12  # the checks ran
    return [
        f"{r.source_ref}: {r.message} {r.details}"
        for r in results
        if r.status is VerificationStatus.FAIL
    ]


def test_vex_document_passes_the_mandatory_tests(repo: Path) -> None:
    doc = csaf.build(_ctx(repo), profile=csaf.VEX)
    schemas.csaf()(doc)
    assert _failures(doc) == []
    statuses = {k for v in doc["vulnerabilities"] for k in v["product_status"]}
    assert {"known_affected", "known_not_affected", "fixed"} <= statuses


def test_security_advisory_passes_the_mandatory_tests_and_its_profile(repo: Path) -> None:
    doc = csaf.build(_ctx(repo), profile=csaf.ADVISORY)
    schemas.csaf()(doc)
    assert _failures(doc, skip=(verify_vex_profile_conformance,)) == []
    # Profile 4 (security advisory): a product tree, and notes and a product status for
    # every vulnerability.
    tree = doc["product_tree"]
    assert tree.get("full_product_names") or tree.get("branches")
    assert doc["vulnerabilities"]
    for v in doc["vulnerabilities"]:
        assert v["notes"] and v["product_status"], v["ids"]


def test_the_mandatory_tests_catch_a_missing_statement(repo: Path) -> None:
    doc = csaf.build(_ctx(repo), profile=csaf.VEX)
    no_action = copy.deepcopy(doc)
    for v in no_action["vulnerabilities"]:
        if "known_affected" in v["product_status"]:
            v.pop("remediations", None)
    assert verify_action_statement_requirement(no_action).status is VerificationStatus.FAIL
    no_impact = copy.deepcopy(doc)
    for v in no_impact["vulnerabilities"]:
        if "known_not_affected" in v["product_status"]:
            v.pop("flags", None)
            v.pop("threats", None)
    assert verify_impact_statement_requirement(no_impact).status is VerificationStatus.FAIL
