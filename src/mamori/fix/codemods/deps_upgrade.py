"""CWE-1395: a vulnerable dependency pin -> the lowest version that fixes every advisory.

Manifests are edited as text, one line, so that comments, ordering and formatting stay:
``requirements*.txt`` / ``constraints*.txt`` (``name==x`` pins), ``pyproject.toml`` PEP 621
(``dependencies`` and ``optional-dependencies`` strings) and Poetry
(``[tool.poetry.*dependencies]`` tables).
"""

from __future__ import annotations

import posixpath
import re

from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from mamori.domain import Finding, FixerId, RiskClass
from mamori.fix.interface import FileReader, FixerInfo, FixProposal

_REQ_LINE = re.compile(
    r"^(?P<lead>\s*)(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)(?P<extras>\s*\[[^\]]*\])?"
    r"(?P<ws>\s*)(?P<op>===|==)(?P<ws2>\s*)(?P<version>[A-Za-z0-9.+!*_-]+)(?P<rest>.*)$"
)
_PEP621_STR = re.compile(
    r"(?P<q>[\"'])(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)(?P<extras>\s*\[[^\]]*\])?"
    r"(?P<ws>\s*)(?P<op>===|==)(?P<ws2>\s*)(?P<version>[A-Za-z0-9.+!_-]+)(?P<rest>[^\"']*)(?P=q)"
)
_POETRY_LINE = re.compile(
    r"^(?P<lead>\s*)(?P<key>[\"']?[A-Za-z0-9][A-Za-z0-9._-]*[\"']?)(?P<eq>\s*=\s*)(?P<value>.*)$"
)
_POETRY_VERSION = re.compile(
    r"(?P<q>[\"'])(?P<op>==|\^|~|>=)?(?P<version>[0-9][A-Za-z0-9.+!_-]*)(?P=q)"
)
_SECTION = re.compile(r"^\s*\[(?P<name>[^\]]+)\]\s*(#.*)?$")


def bump_risk(old: str, new: str) -> tuple[RiskClass, str]:
    """LOW for a patch-level bump, MEDIUM for minor, HIGH for major (or unparseable)."""
    try:
        a, b = Version(old), Version(new)
    except InvalidVersion:
        return RiskClass.HIGH, f"cannot compare versions {old!r} and {new!r}"
    if a.major != b.major:
        return RiskClass.HIGH, (
            f"major upgrade {old} -> {new}: the dependency's interfaces may change; read its"
            " changelog"
        )
    if a.minor != b.minor:
        return RiskClass.MEDIUM, (
            f"minor upgrade {old} -> {new}: new features and deprecations may change behaviour"
            " at the edges"
        )
    return RiskClass.LOW, f"patch-level upgrade {old} -> {new}: bug and security fixes only"


def _is_requirements(path: str) -> bool:
    base = posixpath.basename(path).lower()
    return base.endswith((".txt", ".in")) and ("requirements" in base or "constraints" in base)


def _bump_requirements(text: str, package: str, new: str) -> tuple[str, str] | None:
    lines = text.splitlines(keepends=True)
    for i, line in enumerate(lines):
        body = line.rstrip("\r\n")
        m = _REQ_LINE.match(body)
        if m is None or canonicalize_name(m["name"]) != package:
            continue
        if "--hash" in body or body.rstrip().endswith("\\"):
            return None  # hash-pinned: the hashes of the new version cannot be computed here
        rest = m["rest"]
        if rest.strip().startswith(","):
            return None  # further specifiers: a person should merge the ranges
        old = m["version"]
        new_line = body[: m.start("version")] + new + body[m.end("version") :]
        lines[i] = new_line + line[len(body) :]
        return "".join(lines), old
    return None


def _bump_pyproject(text: str, package: str, new: str) -> tuple[str, str] | None:
    lines = text.splitlines(keepends=True)
    section = ""
    for i, line in enumerate(lines):
        sm = _SECTION.match(line)
        if sm is not None:
            section = sm["name"].strip().strip('"')
            continue
        if section.startswith("tool.poetry") and section.endswith("dependencies"):
            pm = _POETRY_LINE.match(line.rstrip("\r\n"))
            if pm is None or canonicalize_name(pm["key"].strip("\"'")) != package:
                continue
            value = pm["value"]
            vm = _POETRY_VERSION.search(value)
            if vm is None:
                return None
            old = vm["version"]
            start = pm.start("value") + vm.start("version")
            end = pm.start("value") + vm.end("version")
            lines[i] = line[:start] + new + line[end:]
            return "".join(lines), old
        for m in _PEP621_STR.finditer(line):
            if canonicalize_name(m["name"]) != package:
                continue
            if m["rest"].strip().startswith(","):
                return None
            old = m["version"]
            lines[i] = line[: m.start("version")] + new + line[m.end("version") :]
            return "".join(lines), old
    return None


class DepsUpgradeFixer:
    """Bumps the pin of a vulnerable dependency in its manifest."""

    info = FixerInfo(
        id=FixerId("mamori:fix/deps-upgrade"),
        title="Upgrade a vulnerable dependency",
        cwes=(1395, 1104),
        risk=RiskClass.LOW,
        risk_reason=(
            "by the size of the version step: patch-level LOW, minor MEDIUM, major HIGH (the"
            " dependency's behaviour may change)"
        ),
        description=(
            "Bumps the pin of a vulnerable dependency to the lowest version that fixes every"
            " advisory of that pin: `name==x` lines of requirements/constraints files (keeping"
            " extras, markers and comments), PEP 621 dependency strings and Poetry dependency"
            " tables in `pyproject.toml`, each by a one-line text edit. Declines for"
            " hash-pinned requirements and ranges it would have to merge."
        ),
    )

    def applies_to(self, finding: Finding) -> bool:
        return finding.dependency is not None and bool(finding.dependency.fixed_versions)

    def fix(self, finding: Finding, read: FileReader) -> FixProposal | None:
        dep = finding.dependency
        if dep is None or not dep.fixed_versions:
            return None
        new = dep.fixed_versions[0]
        package = canonicalize_name(dep.package)
        path = dep.manifest
        text = read(path)
        if posixpath.basename(path) == "pyproject.toml":
            result = _bump_pyproject(text, package, new)
        elif _is_requirements(path):
            result = _bump_requirements(text, package, new)
        else:
            return None
        if result is None:
            return None
        new_text, old = result
        try:
            if Version(old) >= Version(new):
                return None  # already at or above the fixed version
        except InvalidVersion:
            return None
        risk, reason = bump_risk(old, new)
        advisories = ", ".join([dep.advisory_id, *dep.aliases])
        return FixProposal(
            changes={path: new_text},
            description=(
                f"Upgrade {dep.package} from {old} to {new} in {path}, the lowest version that"
                f" fixes {advisories}."
            ),
            risk=risk,
            risk_reason=reason,
        )
