"""OpenVEX 0.2.0: one statement per finding, its status from triage.

``not_affected`` carries the justification triage recorded (an inline suppression states a
mitigation; an automatic dismissal found the input not attacker-controlled), ``affected`` the
remediation, ``fixed`` needs nothing more, and low-confidence open findings are
``under_investigation``.
"""

from __future__ import annotations

import hashlib
from typing import Any

from mamori import __version__
from mamori.domain import Finding
from mamori.report.context import (
    ReportContext,
    ReportError,
    VexStatus,
    aliases,
    dependency_purl,
    vex_view,
    vulnerability_id,
)

CONTEXT = "https://openvex.dev/ns/v0.2.0"


def build(ctx: ReportContext) -> dict[str, Any]:
    if not ctx.findings:
        raise ReportError("no findings to report")
    digest = hashlib.sha256("\n".join(sorted(f.id for f in ctx.findings)).encode()).hexdigest()
    return {
        "@context": CONTEXT,
        "@id": f"{ctx.settings.namespace.rstrip('/')}/vex/mamori-{digest[:16]}",
        "author": ctx.settings.publisher,
        "role": "Document Creator",
        "timestamp": ctx.timestamp,
        "version": 1,
        "tooling": f"Mamori {__version__}",
        "statements": [_statement(ctx, f) for f in ctx.findings],
    }


def _statement(ctx: ReportContext, f: Finding) -> dict[str, Any]:
    view = vex_view(f, ctx.acceptances.get(f.id))
    vuln: dict[str, Any] = {"name": vulnerability_id(f), "description": f.message}
    if aliases(f):
        vuln["aliases"] = list(aliases(f))
    product: dict[str, Any] = {
        "@id": ctx.product.purl,
        "identifiers": {"purl": ctx.product.purl},
    }
    if f.dependency is not None:
        purl = dependency_purl(f.dependency.package, f.dependency.version)
        product["subcomponents"] = [{"@id": purl, "identifiers": {"purl": purl}}]
    st: dict[str, Any] = {
        "vulnerability": vuln,
        "timestamp": ctx.timestamp,
        "products": [product],
        "status": view.status.value,
        "status_notes": f"Mamori finding {f.id} ({f.rule_id}, CWE-{f.cwe}) at {f.location}",
    }
    if view.status is VexStatus.NOT_AFFECTED:
        st["justification"] = view.justification
        st["impact_statement"] = view.impact
    elif view.status is VexStatus.AFFECTED:
        st["action_statement"] = view.action
    return st
