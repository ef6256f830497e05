"""Vulnerable dependencies: exact pins in manifests checked against OSV advisories.

Manifests read (at any depth, from the inventory's file list so excluded directories stay out):

* ``requirements*.txt``, ``constraints*.txt`` and ``*.txt`` inside a ``requirements/``
  directory (pip's format; ``-r``/``-c``/``-e`` and other option lines are not followed);
* ``pyproject.toml``: PEP 621 ``project.dependencies`` and ``project.optional-dependencies``,
  Poetry ``tool.poetry.dependencies``, ``tool.poetry.dev-dependencies`` and
  ``tool.poetry.group.<name>.dependencies``.

Only exact pins are checked (``==X`` or ``===X`` without wildcard; in Poetry also a bare ``X``):
a range names no single version to look up. Lock files are not read.

Advisories come from a directory in the PyPA advisory-db layout (``<package>/<ID>.yaml``, also
``.json``) or a flat directory of OSV files; the default is the subset bundled in
``mamori/data/advisories`` (see its ATTRIBUTION.md). A package directory is parsed only when a
manifest pins that package, and each directory is parsed once per process.

Matching follows the OSV schema: an ``ECOSYSTEM`` range's ``introduced``/``fixed``/
``last_affected`` events (compared with :mod:`packaging.version`), plus the explicit
``versions`` list. ``GIT`` and ``SEMVER`` ranges and ``limit`` events are ignored; a range with
an event that is not a valid version is ignored too (the ``versions`` list still applies).
Withdrawn advisories are ignored.

Each vulnerable pin (manifest + package) is ONE finding, CWE-1395, listing all its advisories.
Severity rule, per advisory, and the finding takes the highest:

1. the CVSS base score of its ``severity`` entries (v3.x, v4 or v2), banded as in CVSS v3
   (0.1-3.9 low, 4.0-6.9 medium, 7.0-8.9 high, 9.0-10 critical; 0.0 info);
2. else ``database_specific.severity`` (GHSA style: low, moderate, high, critical);
3. else HIGH when the summary or details mention code or command execution;
4. else MEDIUM.
"""

from __future__ import annotations

import json
import re
import threading
import tomllib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from importlib.resources import files as resource_files
from pathlib import Path, PurePosixPath
from typing import Any

import yaml
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from mamori.domain import (
    Confidence,
    DependencyRef,
    EngineId,
    NotAnalysed,
    RawFinding,
    ScanReport,
    Severity,
)
from mamori.errors import BadInputFileError, ConfigError
from mamori.scan.interface import ScanTarget
from mamori.scan.inventory import ALWAYS_SKIPPED_DIRS, is_excluded
from mamori.scan.source import make_finding

__all__ = [
    "CWE_VULNERABLE_COMPONENT",
    "Advisory",
    "AdvisoryDatabase",
    "DependencyScanner",
    "DepsOptions",
    "Pin",
    "bundled_advisory_db",
    "load_advisory_db",
    "read_pins",
]

ENGINE = EngineId("deps")
RULE_ID = "deps:vulnerable-dependency"
CWE_VULNERABLE_COMPONENT = 1395  # Dependency on Vulnerable Third-Party Component

_CODE_EXECUTION = re.compile(
    r"(arbitrary|remote)\s+(code|command)|code\s+execution|command\s+execution|"
    r"execute\s+(arbitrary\s+)?(code|commands?)|\bRCE\b",
    re.IGNORECASE,
)
_EXACT_VERSION = re.compile(r"^\s*(?:===?)?\s*([0-9][A-Za-z0-9.+!_-]*)\s*$")


# --- values --------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class DepsOptions:
    advisory_db: Path | None = None  # None: target.options.advisory_db, else the bundled subset


@dataclass(frozen=True, kw_only=True)
class Pin:
    """An exact version pin found in a manifest."""

    package: str  # PEP 503-normalised
    version: str
    manifest: str  # repository-relative POSIX path
    line: int  # 1-based
    text: str  # the manifest line, for the snippet


@dataclass(frozen=True, kw_only=True)
class _Range:
    # (kind, version) with kind in {"introduced", "fixed", "last_affected"}, ascending.
    events: tuple[tuple[str, Version], ...]

    def affects(self, v: Version) -> bool:
        affected = False
        for kind, at in self.events:
            if kind == "introduced" and v >= at:
                affected = True
            elif (kind == "fixed" and v >= at) or (kind == "last_affected" and v > at):
                affected = False
        return affected


@dataclass(frozen=True, kw_only=True)
class Advisory:
    """One OSV advisory, reduced to what matching needs, for one package."""

    id: str
    aliases: tuple[str, ...]
    summary: str
    details: str
    package: str  # normalised
    ranges: tuple[_Range, ...]
    versions: frozenset[str]  # the explicit list, as written
    parsed_versions: frozenset[Version]  # the same, parsed (unparsable entries left out)
    severity: Severity
    source: Path

    def affects(self, version: str) -> bool:
        if version in self.versions:
            return True
        try:
            v = Version(version)
        except InvalidVersion:
            return False
        return v in self.parsed_versions or any(r.affects(v) for r in self.ranges)

    def fixed_candidates(self) -> Iterator[Version]:
        for r in self.ranges:
            for kind, at in r.events:
                if kind == "fixed":
                    yield at

    @property
    def help_uri(self) -> str:
        return f"https://osv.dev/vulnerability/{self.id}"


def _parse_versions(texts: Iterable[str]) -> frozenset[Version]:
    parsed: set[Version] = set()
    for text in texts:
        try:
            parsed.add(Version(text))
        except InvalidVersion:
            continue  # e.g. "0.12.01b" spellings PyPI once allowed: matched as text only
    return frozenset(parsed)


# --- the advisory database -----------------------------------------------------------------


@dataclass(eq=False, kw_only=True)
class AdvisoryDatabase:
    """Advisories under one directory, parsed lazily per package and cached."""

    root: Path
    _package_dirs: dict[str, list[Path]] = field(default_factory=dict)
    _flat: dict[str, list[Advisory]] = field(default_factory=dict)
    _loaded: dict[str, tuple[Advisory, ...]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def open(cls, root: Path) -> AdvisoryDatabase:
        if not root.is_dir():
            raise ConfigError(
                f"advisory database {root} is not a directory",
                hint="set scan.advisory_db to a directory of OSV advisories "
                "(PyPA advisory-db layout: <package>/<ID>.yaml)",
            )
        db = cls(root=root)
        for entry in sorted(root.iterdir()):
            if entry.is_dir():
                db._package_dirs.setdefault(canonicalize_name(entry.name), []).append(entry)
            elif _is_advisory_file(entry):
                # A flat directory (e.g. an OSV export): files are indexed by their contents.
                for adv in _parse_advisory_file(entry):
                    db._flat.setdefault(adv.package, []).append(adv)
        return db

    def for_package(self, package: str) -> tuple[Advisory, ...]:
        """Advisories (not withdrawn) that name ``package`` (normalised), sorted by id."""
        package = canonicalize_name(package)
        with self._lock:
            cached = self._loaded.get(package)
            if cached is not None:
                return cached
            found: dict[str, Advisory] = {a.id: a for a in self._flat.get(package, [])}
            for directory in self._package_dirs.get(package, []):
                for path in sorted(directory.iterdir()):
                    if not _is_advisory_file(path):
                        continue
                    for adv in _parse_advisory_file(path):
                        if adv.package == package:
                            found.setdefault(adv.id, adv)
            result = tuple(found[k] for k in sorted(found))
            self._loaded[package] = result
            return result


_DB_CACHE: dict[Path, AdvisoryDatabase] = {}
_DB_CACHE_LOCK = threading.Lock()


def load_advisory_db(root: Path) -> AdvisoryDatabase:
    """The (process-wide cached) advisory database in directory ``root``."""
    key = root.resolve()
    with _DB_CACHE_LOCK:
        db = _DB_CACHE.get(key)
        if db is None:
            db = AdvisoryDatabase.open(key)
            _DB_CACHE[key] = db
        return db


def bundled_advisory_db() -> Path:
    """The directory of the advisory subset shipped with Mamori."""
    path = resource_files("mamori") / "data" / "advisories"
    # Installed packages (wheel or editable) are plain directories; a zip import is not.
    if not isinstance(path, Path):
        raise ConfigError(
            "the bundled advisory database is not a directory on disk",
            hint="set scan.advisory_db to a directory of OSV advisories",
        )
    return path


def _is_advisory_file(path: Path) -> bool:
    return path.is_file() and path.suffix.lower() in {".yaml", ".yml", ".json"}


def _parse_advisory_file(path: Path) -> list[Advisory]:
    """The advisory in ``path``, once per PyPI package it affects ([] when withdrawn)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise BadInputFileError(f"advisory {path} cannot be read: {e}") from e
    try:
        if path.suffix.lower() == ".json":
            data = json.loads(text)
        else:
            data = yaml.load(text, Loader=_YamlLoader)  # _YamlLoader is a SafeLoader
    except json.JSONDecodeError as e:
        raise BadInputFileError(
            f"advisory {path} is not valid JSON: {e.msg} at line {e.lineno}, column {e.colno}"
        ) from e
    except yaml.YAMLError as e:
        raise BadInputFileError(f"advisory {path} is not valid YAML: {e}") from e
    try:
        return _advisories_from(data, path)
    except (KeyError, TypeError, ValueError, AttributeError) as e:
        raise BadInputFileError(f"advisory {path} is not a valid OSV record: {e}") from e


# The C loader parses the full database several times faster; both are safe loaders.
_YamlLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _advisories_from(data: Any, path: Path) -> list[Advisory]:
    if not isinstance(data, dict):
        raise TypeError(f"expected a mapping at the top level, found {type(data).__name__}")
    adv_id = data["id"]
    if not isinstance(adv_id, str) or not adv_id:
        raise ValueError("'id' must be a non-empty string")
    if data.get("withdrawn"):
        return []
    aliases = tuple(str(a) for a in data.get("aliases") or ())
    summary = str(data.get("summary") or "")
    details = str(data.get("details") or "")
    severity = _advisory_severity(data, summary, details)
    out: list[Advisory] = []
    affected = data.get("affected") or []
    if not isinstance(affected, list):
        raise TypeError("'affected' must be a list")
    for entry in affected:
        pkg = entry["package"]
        ecosystem = str(pkg.get("ecosystem", "PyPI"))
        if ecosystem.lower() != "pypi":
            continue
        ranges: list[_Range] = []
        for r in entry.get("ranges") or []:
            if r.get("type") != "ECOSYSTEM":
                continue
            parsed = _parse_range(r.get("events") or [])
            if parsed is not None:
                ranges.append(parsed)
        versions = frozenset(str(v) for v in entry.get("versions") or ())
        out.append(
            Advisory(
                id=adv_id,
                aliases=aliases,
                summary=summary,
                details=details,
                package=canonicalize_name(str(pkg["name"])),
                ranges=tuple(ranges),
                versions=versions,
                parsed_versions=_parse_versions(versions),
                severity=severity,
                source=path,
            )
        )
    return out


_EVENT_ORDER = {"introduced": 0, "fixed": 1, "last_affected": 2}


def _parse_range(events: Sequence[Mapping[str, Any]]) -> _Range | None:
    parsed: list[tuple[str, Version]] = []
    for event in events:
        for kind, value in event.items():
            if kind not in _EVENT_ORDER:
                continue  # "limit" applies to GIT ranges only
            text = str(value)
            try:
                version = Version("0") if text == "0" else Version(text)
            except InvalidVersion:
                return None
            parsed.append((kind, version))
    parsed.sort(key=lambda kv: (kv[1], _EVENT_ORDER[kv[0]]))
    return _Range(events=tuple(parsed))


def _advisory_severity(data: Mapping[str, Any], summary: str, details: str) -> Severity:
    scores = [s for s in (_cvss_score(e) for e in data.get("severity") or []) if s is not None]
    if scores:
        return Severity.from_cvss(max(scores))
    specific = data.get("database_specific")
    if isinstance(specific, dict):
        text = str(specific.get("severity", "")).lower()
        named = {
            "low": Severity.LOW,
            "moderate": Severity.MEDIUM,
            "medium": Severity.MEDIUM,
            "high": Severity.HIGH,
            "critical": Severity.CRITICAL,
        }.get(text)
        if named is not None:
            return named
    if _CODE_EXECUTION.search(summary) or _CODE_EXECUTION.search(details):
        return Severity.HIGH
    return Severity.MEDIUM


def _cvss_score(entry: Any) -> float | None:
    """The base score of an OSV ``severity`` entry, None when it cannot be computed."""
    from cvss import CVSS2, CVSS3, CVSS4  # type: ignore[import-untyped]
    from cvss.exceptions import CVSSError  # type: ignore[import-untyped]

    if not isinstance(entry, dict):
        return None
    kind = str(entry.get("type", ""))
    vector = str(entry.get("score", ""))
    try:
        if kind == "CVSS_V3":
            return float(CVSS3(vector).base_score)
        if kind == "CVSS_V4":
            return float(CVSS4(vector).base_score)
        if kind == "CVSS_V2":
            return float(CVSS2(vector).base_score)
    except CVSSError:
        # A malformed vector leaves the advisory to the text rule rather than failing the scan.
        return None
    return None


# --- manifests -----------------------------------------------------------------------------


def is_manifest(path: str) -> bool:
    p = PurePosixPath(path)
    name = p.name.lower()
    if name == "pyproject.toml":
        return True
    if not name.endswith(".txt"):
        return False
    return (
        name.startswith(("requirements", "constraints")) or p.parent.name.lower() == "requirements"
    )


def read_pins(root: Path, manifest: str) -> tuple[list[Pin], list[NotAnalysed]]:
    """Exact pins in ``manifest`` (repository-relative) and lines that could not be read."""
    full = root / manifest
    try:
        text = full.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        return [], [NotAnalysed(path=manifest, engine=ENGINE, reason=f"cannot be read: {e}")]
    if PurePosixPath(manifest).name.lower() == "pyproject.toml":
        return _pyproject_pins(manifest, text)
    return _requirements_pins(manifest, text)


def _logical_lines(text: str) -> Iterator[tuple[int, str]]:
    """(first line number, joined text) for each logical line (backslash continuations)."""
    buf: list[str] = []
    start = 0
    for n, raw in enumerate(text.splitlines(), start=1):
        if not buf:
            start = n
        if raw.endswith("\\"):
            buf.append(raw[:-1])
            continue
        buf.append(raw)
        yield start, " ".join(buf)
        buf = []
    if buf:
        yield start, " ".join(buf)


_COMMENT = re.compile(r"(^|\s)#.*$")
_TRAILING_OPTION = re.compile(r"\s--?[A-Za-z].*$")


def _requirements_pins(manifest: str, text: str) -> tuple[list[Pin], list[NotAnalysed]]:
    pins: list[Pin] = []
    problems: list[NotAnalysed] = []
    lines = text.splitlines()
    for lineno, logical in _logical_lines(text):
        line = _COMMENT.sub("", logical).strip()
        if not line or line.startswith("-"):
            continue  # options (-r, -c, -e, --index-url ...) name no pin
        line = _TRAILING_OPTION.sub("", line).strip()  # per-requirement --hash=...
        try:
            req = Requirement(line)
        except InvalidRequirement as e:
            if "://" in line or line.startswith((".", "/")):
                continue  # a URL or local path: no version to look up
            problems.append(
                NotAnalysed(
                    path=manifest,
                    engine=ENGINE,
                    reason=f"line {lineno}: cannot parse requirement {line!r}: {e}",
                )
            )
            continue
        version = _exact_version(req)
        if version is not None:
            pins.append(
                Pin(
                    package=canonicalize_name(req.name),
                    version=version,
                    manifest=manifest,
                    line=lineno,
                    text=lines[lineno - 1].strip(),
                )
            )
    return pins, problems


def _exact_version(req: Requirement) -> str | None:
    if req.url:
        return None
    for spec in req.specifier:
        if spec.operator in {"==", "==="} and "*" not in spec.version:
            return spec.version
    return None


def _pyproject_pins(manifest: str, text: str) -> tuple[list[Pin], list[NotAnalysed]]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        return [], [NotAnalysed(path=manifest, engine=ENGINE, reason=f"invalid TOML: {e}")]
    lines = text.splitlines()
    pins: list[Pin] = []
    problems: list[NotAnalysed] = []

    project = data.get("project")
    pep621: list[str] = []
    if isinstance(project, dict):
        pep621.extend(d for d in project.get("dependencies") or [] if isinstance(d, str))
        optional = project.get("optional-dependencies") or {}
        if isinstance(optional, dict):
            for group in optional.values():
                if isinstance(group, list):
                    pep621.extend(d for d in group if isinstance(d, str))
    for spec in pep621:
        try:
            req = Requirement(spec)
        except InvalidRequirement as e:
            problems.append(
                NotAnalysed(
                    path=manifest,
                    engine=ENGINE,
                    reason=f"cannot parse dependency {spec!r}: {e}",
                )
            )
            continue
        version = _exact_version(req)
        if version is not None:
            lineno = _find_line(lines, [spec], fallback=[req.name, version])
            pins.append(
                Pin(
                    package=canonicalize_name(req.name),
                    version=version,
                    manifest=manifest,
                    line=lineno,
                    text=lines[lineno - 1].strip() if lines else spec,
                )
            )

    for name, value in _poetry_dependencies(data):
        if canonicalize_name(name) == "python":
            continue
        raw = value.get("version") if isinstance(value, dict) else value
        if not isinstance(raw, str):
            continue
        m = _EXACT_VERSION.match(raw)
        if m is None:
            continue
        version = m.group(1)
        lineno = _find_line(lines, [f"{name} =", f'"{name}" =', f"{name}="], fallback=[name])
        pins.append(
            Pin(
                package=canonicalize_name(name),
                version=version,
                manifest=manifest,
                line=lineno,
                text=lines[lineno - 1].strip() if lines else f"{name} = {raw!r}",
            )
        )
    return pins, problems


def _poetry_dependencies(data: Mapping[str, Any]) -> Iterator[tuple[str, Any]]:
    tool = data.get("tool")
    poetry = tool.get("poetry") if isinstance(tool, dict) else None
    if not isinstance(poetry, dict):
        return
    tables: list[Any] = [poetry.get("dependencies"), poetry.get("dev-dependencies")]
    groups = poetry.get("group")
    if isinstance(groups, dict):
        tables.extend(g.get("dependencies") for g in groups.values() if isinstance(g, dict))
    for table in tables:
        if isinstance(table, dict):
            yield from table.items()


def _find_line(lines: Sequence[str], needles: Iterable[str], *, fallback: Sequence[str]) -> int:
    """1-based number of the first line containing one of ``needles`` (else all of
    ``fallback``, case-insensitively); 1 when none does."""
    for needle in needles:
        for n, line in enumerate(lines, start=1):
            if needle in line:
                return n
    lowered = [f.lower() for f in fallback]
    for n, line in enumerate(lines, start=1):
        if all(f in line.lower() for f in lowered):
            return n
    return 1


# --- the engine ----------------------------------------------------------------------------


class DependencyScanner:
    """Checks exact dependency pins against OSV advisories."""

    id: EngineId = ENGINE
    description = (
        "Dependencies: exact pins in requirements files and pyproject.toml checked against "
        "OSV advisories (PyPA advisory database)"
    )

    def __init__(self, options: DepsOptions | None = None) -> None:
        self.options = options or DepsOptions()

    def database_path(self, target: ScanTarget) -> Path:
        return self.options.advisory_db or target.options.advisory_db or bundled_advisory_db()

    def scan(self, target: ScanTarget) -> ScanReport:
        manifests = [
            f
            for f in target.files
            if is_manifest(f)
            and not any(p in ALWAYS_SKIPPED_DIRS for p in PurePosixPath(f).parts[:-1])
            and not is_excluded(f, target.options.exclude)
        ]
        findings: list[RawFinding] = []
        not_analysed: list[NotAnalysed] = []
        db: AdvisoryDatabase | None = None
        for manifest in manifests:
            pins, problems = read_pins(target.root, manifest)
            not_analysed.extend(problems)
            seen: set[str] = set()
            for pin in pins:
                if pin.package in seen:
                    continue  # one finding per (manifest, package): the first pin
                if db is None:
                    db = load_advisory_db(self.database_path(target))
                finding = self._check(pin, db)
                if finding is not None:
                    seen.add(pin.package)
                    findings.append(finding)
        return ScanReport(
            findings=tuple(findings),
            not_analysed=tuple(not_analysed),
            engines=(ENGINE,),
            files_scanned=len(manifests),
        )

    def _check(self, pin: Pin, db: AdvisoryDatabase) -> RawFinding | None:
        hits = [a for a in db.for_package(pin.package) if a.affects(pin.version)]
        if not hits:
            return None
        # Most severe first, then by id, so the headline advisory is the worst one.
        hits.sort(key=lambda a: (-a.severity.rank, a.id))
        fixed = lowest_fixes(pin.version, hits)
        primary = hits[0]
        aliases: list[str] = []
        for a in hits:
            for name in (a.id, *a.aliases):
                if name != primary.id and name not in aliases:
                    aliases.append(name)
        ids = ", ".join(a.id for a in hits)
        advice = f"upgrade to {fixed[0]} or later" if fixed else "no fixed version is known"
        noun = "vulnerability" if len(hits) == 1 else "vulnerabilities"
        return make_finding(
            source=None,
            path=pin.manifest,
            line=pin.line,
            rule_id=RULE_ID,
            engine=ENGINE,
            cwe=CWE_VULNERABLE_COMPONENT,
            message=f"{pin.package} {pin.version} has {len(hits)} known {noun} ({ids}): {advice}",
            severity=max((a.severity for a in hits), key=lambda s: s.rank),
            confidence=Confidence.HIGH,
            snippet=pin.text,
            line_text=f"{pin.package} dependency",
            dependency=DependencyRef(
                package=pin.package,
                version=pin.version,
                manifest=pin.manifest,
                advisory_id=primary.id,
                aliases=tuple(aliases),
                fixed_versions=fixed,
            ),
            help_uri=primary.help_uri,
        )


def lowest_fixes(version: str, advisories: Sequence[Advisory]) -> tuple[str, ...]:
    """Ascending upgrade targets above ``version`` that no advisory in ``advisories`` affects.

    Candidates are the advisories' ``fixed`` events. Pre-releases are dropped unless the pin is
    itself a pre-release or no final release qualifies.
    """
    try:
        current = Version(version)
    except InvalidVersion:
        return ()
    candidates = sorted(
        {v for a in advisories for v in a.fixed_candidates() if v > current},
    )
    good = [v for v in candidates if not any(a.affects(str(v)) for a in advisories)]
    if not current.is_prerelease and any(not v.is_prerelease for v in good):
        good = [v for v in good if not v.is_prerelease]
    return tuple(str(v) for v in good)
