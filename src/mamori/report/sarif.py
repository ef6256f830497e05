"""SARIF 2.1.0 output: findings (raw or triaged) as one SARIF run.

The log validates against the OASIS SARIF 2.1.0 schema (bundled in ``mamori/data/schemas``).
Conventions, so that :mod:`mamori.scan.sarif_import` (and GitHub code scanning) read it back:

* rule ids are Mamori's namespaced ids (``bandit:B608``); each rule carries
  ``properties.tags`` ``["security", "external/cwe/cwe-NNN"]`` and ``properties.cwe``;
* ``level`` from severity: critical/high -> error, medium -> warning, low/info -> note; a
  representative CVSS-like ``security-severity`` is written too (9.5/8.0/5.5/2.0/0.0) so that
  the severity survives a round trip exactly;
* paths are repository-relative URIs under ``uriBaseId`` ``%SRCROOT%``; columns are 1-based;
* ``partialFingerprints["mamori/v1"]`` is Mamori's line-independent fingerprint;
* suppressed findings carry a ``suppressions`` entry (``inSource`` with the justification),
  findings dismissed as false positives an ``external`` one;
* every file that was not analysed becomes a warning in ``invocations[0]
  .toolExecutionNotifications``; ``executionSuccessful`` is false when a whole engine failed
  (a not-analysed entry with an empty path).
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

from mamori.domain import (
    DependencyRef,
    Finding,
    FindingStatus,
    FlowStep,
    Location,
    NotAnalysed,
    Patch,
    RawFinding,
    Severity,
)
from mamori.fingerprint import FINGERPRINT_VERSION

__all__ = [
    "INFORMATION_URI",
    "SARIF_SCHEMA_URI",
    "SARIF_VERSION",
    "SRCROOT",
    "level_for",
    "sarif_log",
    "security_severity_for",
    "write_sarif",
]

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"
TOOL_NAME = "Mamori"
# Where people learn about the tool; a placeholder until the project publishes its docs.
INFORMATION_URI = "https://mamori.invalid/docs"

_LEVEL = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "note",
    Severity.INFO: "note",
}

# A CVSS-like score inside each severity band (the importer bands them back the same way).
_SECURITY_SEVERITY = {
    Severity.CRITICAL: 9.5,
    Severity.HIGH: 8.0,
    Severity.MEDIUM: 5.5,
    Severity.LOW: 2.0,
    Severity.INFO: 0.0,
}

# Short names for the CWEs Mamori's engines report, for rule descriptions.
_CWE_NAMES = {
    20: "Improper input validation",
    22: "Path traversal",
    78: "OS command injection",
    79: "Cross-site scripting",
    89: "SQL injection",
    94: "Code injection",
    259: "Hard-coded password",
    295: "Improper certificate validation",
    327: "Broken or risky cryptographic algorithm",
    328: "Use of weak hash",
    330: "Insufficiently random values",
    352: "Cross-site request forgery",
    377: "Insecure temporary file",
    400: "Uncontrolled resource consumption",
    502: "Deserialisation of untrusted data",
    601: "Open redirect",
    611: "XML external entity reference",
    614: "Sensitive cookie without the Secure attribute",
    703: "Improper check of exceptional conditions",
    798: "Hard-coded credentials",
    916: "Password hash with insufficient computational effort",
    918: "Server-side request forgery",
    1004: "Sensitive cookie without the HttpOnly flag",
    1395: "Dependency on a vulnerable third-party component",
}


def level_for(severity: Severity) -> str:
    return _LEVEL[severity]


def security_severity_for(severity: Severity) -> float:
    return _SECURITY_SEVERITY[severity]


def sarif_log(
    findings: Sequence[RawFinding | Finding],
    *,
    not_analysed: Sequence[NotAnalysed],
    engines: Sequence[str],
    tool_version: str,
    root: Path | None = None,
    information_uri: str = INFORMATION_URI,
    patches: Sequence[Patch] = (),
) -> dict[str, Any]:
    """A SARIF 2.1.0 log (as JSON-ready dicts) with one run holding ``findings``.

    ``root``, when given, is recorded as the absolute location of ``%SRCROOT%``. ``patches``
    become the ``fixes`` of the results of their findings (matched by finding id).
    """
    by_finding: dict[str, list[Patch]] = {}
    for p in patches:
        by_finding.setdefault(p.finding_id, []).append(p)
    rules: list[dict[str, Any]] = []
    rule_index: dict[str, int] = {}
    results: list[dict[str, Any]] = []
    for f in findings:
        idx = rule_index.get(f.rule_id)
        if idx is None:
            idx = len(rules)
            rule_index[f.rule_id] = idx
            rules.append(_rule(f))
        else:
            _raise_rule_severity(rules[idx], f.severity)
        result = _result(f, idx)
        if isinstance(f, Finding) and f.id in by_finding:
            result["fixes"] = [sarif_fix(p) for p in by_finding[f.id]]
        results.append(result)

    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": TOOL_NAME,
                "version": tool_version,
                "informationUri": information_uri,
                "rules": rules,
            },
            "extensions": [{"name": e} for e in dict.fromkeys(engines)],
        },
        "invocations": [_invocation(not_analysed)],
        "results": results,
        "columnKind": "unicodeCodePoints",
        "properties": {"engines": list(dict.fromkeys(engines))},
    }
    if root is not None:
        run["originalUriBaseIds"] = {SRCROOT: {"uri": root.resolve().as_uri() + "/"}}
    return {"$schema": SARIF_SCHEMA_URI, "version": SARIF_VERSION, "runs": [run]}


_HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")


def sarif_fix(patch: Patch) -> dict[str, Any]:
    """A SARIF ``fix``: the patch's unified diff as whole-line replacements per file.

    Each run of removed/added lines in a hunk becomes one replacement whose deleted region
    starts at column 1 of its first line and ends at column 1 of the line after it (so the
    line ends are part of it), and whose inserted content is the new lines.
    """
    changes: list[dict[str, Any]] = []
    path = ""
    replacements: list[dict[str, Any]] = []
    old_line = 0
    deleted_from = 0
    deleted = 0
    inserted: list[str] = []

    def flush() -> None:
        nonlocal deleted, inserted, deleted_from
        if deleted or inserted:
            start = deleted_from
            replacements.append(
                {
                    "deletedRegion": {
                        "startLine": start,
                        "startColumn": 1,
                        "endLine": start + deleted,
                        "endColumn": 1,
                    },
                    "insertedContent": {"text": "".join(inserted)},
                }
            )
        deleted, inserted = 0, []

    def close_file() -> None:
        flush()
        if path and replacements:
            changes.append(
                {
                    "artifactLocation": {"uri": path, "uriBaseId": SRCROOT},
                    "replacements": list(replacements),
                }
            )
        replacements.clear()

    for line in patch.diff.splitlines(keepends=True):
        if line.startswith("diff --git "):
            close_file()
            path = ""
        elif line.startswith("+++ "):
            path = line[4:].strip().removeprefix("b/")
        elif line.startswith(("--- ", "\\")):
            continue
        elif m := _HUNK.match(line):
            flush()
            old_line = int(m.group(1)) if m.group(2) != "0" else int(m.group(1)) + 1
        elif line.startswith("-"):
            if not deleted and not inserted:
                deleted_from = old_line
            deleted += 1
            old_line += 1
        elif line.startswith("+"):
            if not deleted and not inserted:
                deleted_from = old_line
            inserted.append(line[1:])
        elif line.startswith(" "):
            flush()
            old_line += 1
    close_file()
    return {
        "description": {"text": patch.description},
        "artifactChanges": changes,
        "properties": {
            "patchId": patch.id,
            "fixerId": patch.fixer_id,
            "strategy": patch.strategy.value,
            "risk": patch.risk.value,
            "riskReason": patch.risk_reason,
        },
    }


def write_sarif(log: Mapping[str, Any], path: Path) -> None:
    """Write ``log`` to ``path`` atomically (a temporary file renamed over it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(log, fh, indent=2, ensure_ascii=False)
            fh.write("\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# --- pieces ---------------------------------------------------------------------------------


def _cwe_tag(cwe: int) -> str:
    return f"external/cwe/cwe-{cwe}"


def _rule(f: RawFinding | Finding) -> dict[str, Any]:
    name = f.rule_id.split(":", 1)[-1]
    cwe_name = _CWE_NAMES.get(f.cwe)
    short = f"CWE-{f.cwe}: {cwe_name}" if cwe_name else _first_sentence(f.message)
    tags = ["security"]
    if f.cwe:
        tags.append(_cwe_tag(f.cwe))
    rule: dict[str, Any] = {
        "id": f.rule_id,
        "name": name,
        "shortDescription": {"text": short},
        "defaultConfiguration": {"level": level_for(f.severity)},
        "properties": {
            "tags": tags,
            "security-severity": f"{security_severity_for(f.severity):.1f}",
        },
    }
    if f.cwe:  # 0: unknown (e.g. imported from a tool that names none); no "CWE-0"
        rule["properties"]["cwe"] = f"CWE-{f.cwe}"
    help_uri = _help_uri(f)
    if help_uri:
        rule["helpUri"] = help_uri
    return rule


def _raise_rule_severity(rule: dict[str, Any], severity: Severity) -> None:
    """GitHub reads the rule's security-severity: keep the highest of its results."""
    score = security_severity_for(severity)
    props = rule["properties"]
    if score > float(props["security-severity"]):
        props["security-severity"] = f"{score:.1f}"


def _help_uri(f: RawFinding | Finding) -> str | None:
    if isinstance(f, RawFinding):
        return f.help_uri
    return None


def _first_sentence(text: str, limit: int = 120) -> str:
    first = text.strip().split("\n", 1)[0]
    return first if len(first) <= limit else first[: limit - 3] + "..."


def _uri(path: str) -> str:
    return quote(path, safe="/")


def _physical(loc: Location, snippet: str | None = None) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": {"uri": _uri(loc.path), "uriBaseId": SRCROOT}}
    if loc.start_line >= 1:
        region: dict[str, Any] = {"startLine": loc.start_line}
        if loc.end_line is not None and loc.end_line >= loc.start_line:
            region["endLine"] = loc.end_line
        if loc.start_col is not None and loc.start_col >= 1:
            region["startColumn"] = loc.start_col
        if snippet:
            region["snippet"] = {"text": snippet}
        physical["region"] = region
    return physical


def _flow(steps: Sequence[FlowStep]) -> list[dict[str, Any]]:
    return [
        {
            "threadFlows": [
                {
                    "locations": [
                        {
                            "location": {
                                "physicalLocation": _physical(step.location),
                                "message": {"text": step.message},
                            }
                        }
                        for step in steps
                    ]
                }
            ]
        }
    ]


def _dependency(dep: DependencyRef) -> dict[str, Any]:
    return {
        "package": dep.package,
        "version": dep.version,
        "manifest": dep.manifest,
        "advisoryId": dep.advisory_id,
        "aliases": list(dep.aliases),
        "fixedVersions": list(dep.fixed_versions),
    }


def _result(f: RawFinding | Finding, rule_idx: int) -> dict[str, Any]:
    props: dict[str, Any] = {
        "severity": f.severity.value,
        "confidence": f.confidence.value,
        "security-severity": f"{security_severity_for(f.severity):.1f}",
        "tags": ["security", _cwe_tag(f.cwe)] if f.cwe else ["security"],
    }
    if f.cwe:
        props = {"cwe": f"CWE-{f.cwe}", **props}
    if f.scope:
        props["scope"] = f.scope
    if isinstance(f, Finding):
        props["engines"] = list(f.engines)
        props["id"] = f.id
        props["status"] = f.status.value
        props["delta"] = f.delta.value
        props["riskScore"] = f.risk_score
        if f.risk_reasons:
            props["riskReasons"] = list(f.risk_reasons)
        if f.suppression is not None:
            props["suppressionReason"] = f.suppression.reason
    else:
        props["engines"] = [f.engine]
    if f.dependency is not None:
        props["dependency"] = _dependency(f.dependency)

    result: dict[str, Any] = {
        "ruleId": f.rule_id,
        "ruleIndex": rule_idx,
        "level": level_for(f.severity),
        "message": {"text": f.message},
        "locations": [{"physicalLocation": _physical(f.location, f.snippet or None)}],
        "partialFingerprints": {FINGERPRINT_VERSION: f.fingerprint},
        "properties": props,
    }
    if f.flow:
        result["codeFlows"] = _flow(f.flow)
    suppressions = _suppressions(f)
    if suppressions:
        result["suppressions"] = suppressions
    return result


def _suppressions(f: RawFinding | Finding) -> list[dict[str, Any]]:
    if not isinstance(f, Finding):
        return []
    if f.suppression is not None or f.status is FindingStatus.SUPPRESSED:
        entry: dict[str, Any] = {"kind": "inSource", "status": "accepted"}
        if f.suppression is not None:
            entry["justification"] = f.suppression.reason
            entry["location"] = {"physicalLocation": _physical(f.suppression.location)}
        return [entry]
    if f.status is FindingStatus.FALSE_POSITIVE:
        return [
            {
                "kind": "external",
                "status": "accepted",
                "justification": "dismissed as a false positive during triage",
            }
        ]
    return []


def _invocation(not_analysed: Sequence[NotAnalysed]) -> dict[str, Any]:
    notes: list[dict[str, Any]] = []
    for n in not_analysed:
        who = f"engine {n.engine}" if n.engine else "any engine"
        what = n.path or "(whole engine)"
        note: dict[str, Any] = {
            "level": "warning",
            "message": {"text": f"{what}: not analysed by {who}: {n.reason}"},
            "descriptor": {"id": "mamori/not-analysed"},
            "properties": {"engine": n.engine or "", "reason": n.reason},
        }
        if n.path:
            note["locations"] = [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": _uri(n.path), "uriBaseId": SRCROOT}
                    }
                }
            ]
        notes.append(note)
    return {
        "executionSuccessful": not any(n.path == "" for n in not_analysed),
        "toolExecutionNotifications": notes,
    }
