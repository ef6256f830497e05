"""CWE-1395: a vulnerable dependency pin -> the lowest version that fixes every advisory.

Manifests are edited as text, one line, so that comments, ordering and formatting stay:
``requirements*.txt`` / ``constraints*.txt`` (``name==x`` pins), ``pyproject.toml`` PEP 621
(``dependencies`` and ``optional-dependencies`` strings) and Poetry
(``[tool.poetry.*dependencies]`` tables).
"""

from __future__ import annotations

import posixpath
import re

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from mamori.domain import Finding, FixerId, RiskClass
from mamori.fix.interface import Declined, FileReader, FixerInfo, FixProposal

# Lock files record resolved versions and hashes that only the tool that wrote them can
# recompute; editing a version by hand would leave them inconsistent.
_LOCK_FILES = {
    "poetry.lock": "poetry update {pkg}",
    "pdm.lock": "pdm update {pkg}",
    "uv.lock": "uv lock --upgrade-package {pkg}",
    "pipfile.lock": "pipenv update {pkg}",
    "requirements.lock": "regenerate the lock file",
}

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


class _Refuse(Exception):
    """Internal: the manifest is recognised but must not be edited here (the reason)."""


def _constraint_lines(text: str, package: str) -> list[tuple[str, Requirement]]:
    """Requirement lines (requirements/constraints syntax, or PEP 621 strings) for
    ``package``."""
    out: list[tuple[str, Requirement]] = []
    for line in text.splitlines():
        body = line.split(" #", 1)[0].strip().rstrip(",").strip()
        for candidate in (body, body.strip("\"'")):
            if not candidate or candidate.startswith(("#", "-", "[")):
                continue
            try:
                req = Requirement(candidate)
            except InvalidRequirement:
                continue
            if canonicalize_name(req.name) == package:
                out.append((line.strip(), req))
            break
    return out


def _bump_requirements(text: str, package: str, new: str) -> tuple[str, str] | None:
    lines = text.splitlines(keepends=True)
    for i, line in enumerate(lines):
        body = line.rstrip("\r\n")
        m = _REQ_LINE.match(body)
        if m is None or canonicalize_name(m["name"]) != package:
            continue
        if "--hash" in body or body.rstrip().endswith("\\"):
            raise _Refuse(
                "the requirement is hash-pinned: the new version's hashes cannot be computed"
                " here; regenerate the file (pip-compile --generate-hashes)"
            )
        rest = m["rest"]
        if rest.strip().startswith(","):
            raise _Refuse("the pin has further specifiers; merge the ranges by hand")
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
            " tables in `pyproject.toml`, each by a one-line text edit. The other manifests in"
            " the same directory must allow the new version: the same exact pin in a"
            " constraints file is bumped in the same patch, any other constraint that excludes"
            " it makes the fixer decline. Declines, saying which command to run instead, for"
            " lock files (`poetry.lock`, `pdm.lock`, `uv.lock`, `Pipfile.lock`), for a"
            " `pyproject.toml` with a `poetry.lock` beside it, for hash-pinned requirements"
            " and for ranges it would have to merge."
        ),
    )

    def applies_to(self, finding: Finding) -> bool:
        return finding.dependency is not None and bool(finding.dependency.fixed_versions)

    def fix(self, finding: Finding, read: FileReader) -> FixProposal | Declined | None:
        dep = finding.dependency
        if dep is None or not dep.fixed_versions:
            return None
        new = dep.fixed_versions[0]
        package = canonicalize_name(dep.package)
        path = dep.manifest
        base = posixpath.basename(path).lower()
        if base in _LOCK_FILES:
            how = _LOCK_FILES[base].format(pkg=dep.package)
            return Declined(reason=f"{path} is a lock file: upgrade with `{how}` to {new}")
        text = read(path)
        try:
            if base == "pyproject.toml":
                result = _bump_pyproject(text, package, new)
            elif _is_requirements(path):
                result = _bump_requirements(text, package, new)
            else:
                return None
        except _Refuse as e:
            return Declined(reason=f"{path}: {e}")
        if result is None:
            return None
        new_text, old = result
        try:
            if Version(old) >= Version(new):
                return None  # already at or above the fixed version
        except InvalidVersion:
            return None
        changes = {path: new_text}
        siblings = self._siblings(path, read)
        if base == "pyproject.toml":
            lock = next((p for p in siblings if posixpath.basename(p) == "poetry.lock"), None)
            if lock is not None:
                return Declined(
                    reason=(
                        f"{lock} locks the versions of {path}: upgrade with"
                        f" `poetry add {dep.package}@^{new}` (or `poetry update`) so that the"
                        " lock is regenerated"
                    )
                )
        # The other manifests of the project must allow the new version too; an identical
        # exact pin elsewhere (requirements + constraints) is bumped in the same patch.
        for other in siblings:
            if other == path or posixpath.basename(other).lower() in _LOCK_FILES:
                continue
            if not (_is_requirements(other) or posixpath.basename(other) == "pyproject.toml"):
                continue
            try:
                other_text = read(other)
            except (OSError, LookupError):
                continue
            for line, req in _constraint_lines(other_text, package):
                if req.marker is not None and not req.marker.evaluate():
                    continue
                if req.specifier.contains(new, prereleases=True):
                    continue
                if str(req.specifier) in (f"=={old}", f"==={old}"):
                    try:
                        bumped = (
                            _bump_pyproject(other_text, package, new)
                            if posixpath.basename(other) == "pyproject.toml"
                            else _bump_requirements(other_text, package, new)
                        )
                    except _Refuse as e:
                        return Declined(reason=f"{other}: {e}")
                    if bumped is not None:
                        other_text = bumped[0]
                        changes[other] = other_text
                        continue
                return Declined(
                    reason=(
                        f"{other} constrains {dep.package} to `{line}`, which excludes the"
                        f" fixed version {new}; relax it first"
                    )
                )
        risk, reason = bump_risk(old, new)
        advisories = ", ".join([dep.advisory_id, *dep.aliases])
        also = (
            f" (and the same pin in {', '.join(sorted(set(changes) - {path}))})"
            if len(changes) > 1
            else ""
        )
        return FixProposal(
            changes=changes,
            description=(
                f"Upgrade {dep.package} from {old} to {new} in {path}{also}, the lowest version"
                f" that fixes {advisories}."
            ),
            risk=risk,
            risk_reason=reason,
        )

    @staticmethod
    def _siblings(path: str, read: FileReader) -> list[str]:
        """Files in the manifest's directory (known when the reader lists the repository)."""
        paths: tuple[str, ...] = getattr(read, "paths", ())
        folder = posixpath.dirname(path)
        return sorted(p for p in paths if posixpath.dirname(p) == folder)
