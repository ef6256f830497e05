"""OSV records for vulnerabilities Mamori finds in the organisation's own published packages.

Only first-party findings qualify (dependency findings already have their upstream OSV record),
and only when the repository's package is listed in ``[report] published``. Dismissed findings
are left out: an OSV record asserts that a version is vulnerable.
"""

from __future__ import annotations

from typing import Any

from mamori.domain import Finding, FindingStatus
from mamori.report.context import ReportContext, ReportError, remediation

SCHEMA_VERSION = "1.6.0"
_SKIP = (FindingStatus.FALSE_POSITIVE, FindingStatus.SUPPRESSED)


def build(ctx: ReportContext) -> list[dict[str, Any]]:
    if not ctx.product.published:
        raise ReportError(
            f"{ctx.product.name} is not one of the organisation's published packages",
            hint='list it in mamori.toml: [report] published = ["' + ctx.product.name + '"]',
        )
    records = [
        _record(ctx, f) for f in ctx.findings if f.dependency is None and f.status not in _SKIP
    ]
    if not records:
        raise ReportError("no first-party findings to publish as OSV records")
    return records


def _record(ctx: ReportContext, f: Finding) -> dict[str, Any]:
    name = ctx.product.name
    affected: dict[str, Any] = {
        "package": {
            "ecosystem": "PyPI",
            "name": name,
            "purl": ctx.product.purl.rsplit("@", 1)[0],
        },
        "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}]}],
        "versions": [ctx.product.version],
        "ecosystem_specific": {"status": f.status.value},
    }
    record: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "id": f"{ctx.settings.osv_prefix}-{f.id}",
        "modified": ctx.timestamp,
        "published": ctx.timestamp,
        "summary": f"CWE-{f.cwe} in {name}: {f.message}"[:120],
        "details": f"{f.message}\n\nLocation: {f.location}\n\nRemediation: {remediation(f)}",
        "affected": [affected],
        "database_specific": {
            "cwe_ids": [f"CWE-{f.cwe}"],
            "rule": f.rule_id,
            "mamori_finding": f.id,
        },
    }
    p = f.priority
    if p is not None:
        record["severity"] = [
            {"type": "CVSS_V3", "score": p.cvss_v3_vector},
            {"type": "CVSS_V4", "score": p.cvss_v4_vector},
        ]
        record["database_specific"]["ssvc"] = list(p.ssvc_path)
    if ctx.settings.namespace:
        record["references"] = [{"type": "ADVISORY", "url": ctx.settings.namespace}]
    return record
