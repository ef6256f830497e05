"""CSAF 2.0 documents: the ``csaf_security_advisory`` and ``csaf_vex`` profiles.

The product tree holds the repository's package (vendor = the publisher) and, for dependency
findings, each vulnerable PyPI package joined to it by a ``default_component_of``
relationship. Every finding becomes one vulnerability with its CWE, CVSS v3.1 score (CSAF 2.0
has no v4 field: the v4 vector is in a note), SSVC decision, product status and remediation.
"""

from __future__ import annotations

import hashlib
from typing import Any

from cvss import CVSS3  # type: ignore[import-untyped]

from mamori import __version__
from mamori.domain import Finding
from mamori.report.context import (
    ReportContext,
    ReportError,
    VexStatus,
    aliases,
    dependency_purl,
    remediation,
    vex_view,
    vulnerability_id,
)

ADVISORY = "csaf_security_advisory"
VEX = "csaf_vex"

_PRODUCT_STATUS = {
    VexStatus.AFFECTED: "known_affected",
    VexStatus.NOT_AFFECTED: "known_not_affected",
    VexStatus.FIXED: "fixed",
    VexStatus.UNDER_INVESTIGATION: "under_investigation",
}
_CVSS3_BASE = (
    "version",
    "vectorString",
    "attackVector",
    "attackComplexity",
    "privilegesRequired",
    "userInteraction",
    "scope",
    "confidentialityImpact",
    "integrityImpact",
    "availabilityImpact",
    "baseScore",
    "baseSeverity",
)
CWE_NAMES = {
    22: "Improper Limitation of a Pathname to a Restricted Directory ('Path Traversal')",
    78: "Improper Neutralization of Special Elements used in an OS Command "
    "('OS Command Injection')",
    79: "Improper Neutralization of Input During Web Page Generation ('Cross-site Scripting')",
    89: "Improper Neutralization of Special Elements used in an SQL Command ('SQL Injection')",
    94: "Improper Control of Generation of Code ('Code Injection')",
    502: "Deserialization of Untrusted Data",
    601: "URL Redirection to Untrusted Site ('Open Redirect')",
    798: "Use of Hard-coded Credentials",
    918: "Server-Side Request Forgery (SSRF)",
}


def cvss_v3_json(vector: str) -> dict[str, Any]:
    """The CVSS v3.1 JSON object (base metrics) that CSAF and FIRST's schema expect."""
    full = CVSS3(vector).as_json()
    return {k: full[k] for k in _CVSS3_BASE}


def build(ctx: ReportContext, *, profile: str = ADVISORY) -> dict[str, Any]:
    """A CSAF 2.0 document for ``ctx.findings`` in the given profile."""
    if profile not in (ADVISORY, VEX):
        raise ReportError(f"unknown CSAF profile {profile!r} (expected {ADVISORY} or {VEX})")
    if not ctx.findings:
        raise ReportError("no findings to report")
    root_pid = "CSAFPID-0001"
    full_names: list[dict[str, Any]] = []
    relationships: list[dict[str, Any]] = []
    dep_pids: dict[tuple[str, str], str] = {}
    for f in ctx.findings:
        d = f.dependency
        if d is not None and (d.package, d.version) not in dep_pids:
            n = len(dep_pids) + 2
            pid = f"CSAFPID-{n:04d}"
            dep_pids[(d.package, d.version)] = pid
            full_names.append(
                {
                    "category": "vendor",
                    "name": "PyPI",
                    "branches": [
                        {
                            "category": "product_name",
                            "name": d.package,
                            "branches": [
                                {
                                    "category": "product_version",
                                    "name": d.version,
                                    "product": {
                                        "name": f"{d.package} {d.version}",
                                        "product_id": pid,
                                        "product_identification_helper": {
                                            "purl": dependency_purl(d.package, d.version)
                                        },
                                    },
                                }
                            ],
                        }
                    ],
                }
            )
            relationships.append(
                {
                    "category": "default_component_of",
                    "full_product_name": {
                        "name": f"{d.package} {d.version} as a component of "
                        f"{ctx.product.name} {ctx.product.version}",
                        "product_id": f"{pid}:{root_pid}",
                    },
                    "product_reference": pid,
                    "relates_to_product_reference": root_pid,
                }
            )
    branches = [
        {
            "category": "vendor",
            "name": ctx.settings.publisher,
            "branches": [
                {
                    "category": "product_name",
                    "name": ctx.product.name,
                    "branches": [
                        {
                            "category": "product_version",
                            "name": ctx.product.version,
                            "product": {
                                "name": f"{ctx.product.name} {ctx.product.version}",
                                "product_id": root_pid,
                                "product_identification_helper": {"purl": ctx.product.purl},
                            },
                        }
                    ],
                }
            ],
        },
        *full_names,
    ]
    product_tree: dict[str, Any] = {"branches": branches}
    if relationships:
        product_tree["relationships"] = relationships

    def pid_of(f: Finding) -> str:
        d = f.dependency
        return root_pid if d is None else f"{dep_pids[(d.package, d.version)]}:{root_pid}"

    vulns = [_vulnerability(ctx, f, pid_of(f), profile) for f in ctx.findings]
    digest = hashlib.sha256(
        "\n".join(sorted(f.id for f in ctx.findings)).encode() + profile.encode()
    ).hexdigest()[:12]
    kind = "VEX" if profile == VEX else "ADV"
    title = (
        f"{ctx.product.name} {ctx.product.version}: "
        + (
            vulnerability_id(ctx.findings[0]) + f" {ctx.findings[0].message}"
            if len(ctx.findings) == 1
            else f"{len(ctx.findings)} vulnerabilities"
        )
    )[:500]
    document: dict[str, Any] = {
        "category": profile,
        "csaf_version": "2.0",
        "lang": "en",
        "publisher": {
            "category": "vendor",
            "name": ctx.settings.publisher,
            "namespace": ctx.settings.namespace,
            **({"contact_details": ctx.settings.contact} if ctx.settings.contact else {}),
        },
        "title": title,
        "notes": [
            {
                "category": "summary",
                "title": "Summary",
                "text": f"Vulnerabilities found by Mamori {__version__} in "
                f"{ctx.product.name} {ctx.product.version}, with their priority (SSVC), "
                "CVSS scores and remediation.",
            },
            {
                "category": "legal_disclaimer",
                "title": "Method",
                "text": "CVSS vectors of first-party findings are defaults per CWE unless "
                "triage set them; they describe the typical exploitable case.",
            },
        ],
        "tracking": {
            "current_release_date": ctx.timestamp,
            "generator": {
                "date": ctx.timestamp,
                "engine": {"name": "Mamori", "version": __version__},
            },
            "id": f"MAMORI-{kind}-{digest}",
            "initial_release_date": ctx.timestamp,
            "revision_history": [
                {"date": ctx.timestamp, "number": "1", "summary": "Initial version."}
            ],
            "status": "final",
            "version": "1",
        },
    }
    return {"document": document, "product_tree": product_tree, "vulnerabilities": vulns}


def _vulnerability(ctx: ReportContext, f: Finding, pid: str, profile: str) -> dict[str, Any]:
    view = vex_view(f, ctx.acceptances.get(f.id))
    vid = vulnerability_id(f)
    v: dict[str, Any] = {}
    if vid.startswith("CVE-"):
        v["cve"] = vid
    ids = [{"system_name": "Mamori finding", "text": f.id}]
    ids += [{"system_name": "advisory", "text": a} for a in aliases(f) if not a.startswith("CVE")]
    v["ids"] = ids
    if f.cwe > 0 and f.dependency is None:
        v["cwe"] = {"id": f"CWE-{f.cwe}", "name": CWE_NAMES.get(f.cwe, f"CWE-{f.cwe}")}
    notes = [
        {"category": "description", "title": "Description", "text": f.message},
        {
            "category": "details",
            "title": "Location",
            "text": f"{f.location} (rule {f.rule_id}, engines {', '.join(f.engines) or '-'})",
        },
    ]
    p = f.priority
    if p is not None:
        notes.append(
            {
                "category": "other",
                "title": "Priority (SSVC deployer decision)",
                "text": " > ".join(p.ssvc_path)
                + f"; CVSS 4.0 {p.cvss_v4_vector} ({p.cvss_v4_score}); "
                + f"KEV {'yes' if p.kev else 'no'}"
                + ("" if p.epss is None else f"; EPSS {p.epss:.4f}"),
            }
        )
        v["scores"] = [{"cvss_v3": cvss_v3_json(p.cvss_v3_vector), "products": [pid]}]
    v["notes"] = notes
    v["product_status"] = {_PRODUCT_STATUS[view.status]: [pid]}
    if view.status is VexStatus.NOT_AFFECTED:
        v["flags"] = [{"label": view.justification, "product_ids": [pid]}]
        v["threats"] = [{"category": "impact", "details": view.impact, "product_ids": [pid]}]
    elif view.status is VexStatus.AFFECTED:
        category = (
            "vendor_fix"
            if f.dependency is None or f.dependency.fixed_versions
            else "none_available"
        )
        v["remediations"] = [
            {"category": category, "details": view.action or remediation(f), "product_ids": [pid]}
        ]
    elif view.status is VexStatus.UNDER_INVESTIGATION and profile == ADVISORY:
        v["remediations"] = [
            {"category": "mitigation", "details": remediation(f), "product_ids": [pid]}
        ]
    if f.dependency is not None:
        v["references"] = [
            {
                "category": "external",
                "summary": f"advisory {f.dependency.advisory_id}",
                "url": f"https://osv.dev/vulnerability/{f.dependency.advisory_id}",
            }
        ]
    return v
