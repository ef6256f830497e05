"""Importing other tools' results from SARIF 2.1.0 files (Semgrep, CodeQL, Mamori itself).

Each file is parsed and validated against the bundled OASIS SARIF 2.1.0 schema; a file that is
not JSON, not SARIF 2.1.0 or not schema-valid raises :class:`~mamori.errors.BadInputFileError`
naming the file and the problem. Results become :class:`~mamori.domain.RawFinding` values:

* rule ids are namespaced with the run's tool driver name, lowercased, spaces -> ``-``
  (``semgrep:python.lang.security...``); the engine id is that namespace. Mamori's own SARIF
  (driver ``Mamori``) already carries namespaced ids and engines, which are kept as they are;
* the CWE comes from the result, then the rule: ``properties.cwe`` (``"CWE-89"``, ``89`` or a
  list), then tags (``external/cwe/cwe-89``, ``CWE-89: ...``). No CWE found -> ``0`` (unknown),
  so that triage can tell "unknown" from a real class rather than guessing one;
* severity from ``properties["security-severity"]`` (a CVSS-like number, banded like CVSS:
  >= 9 critical, >= 7 high, >= 4 medium, > 0 low, else info) on the result or its rule, else the
  level (error -> high, warning -> medium, note -> low, none -> info; SARIF's default level is
  warning);
* confidence from ``properties.confidence`` or ``properties.precision`` (result, then rule),
  else medium;
* paths: ``uri`` + ``uriBaseId`` (resolved through ``originalUriBaseIds`` when they give an
  absolute URI; otherwise relative to the repository root) -> repository-relative POSIX path.
  Results outside the repository, or without a location, are dropped and reported as
  :class:`~mamori.domain.NotAnalysed` notes;
* the fingerprint is ``partialFingerprints["mamori/v1"]`` when present (Mamori computed it the
  shared way), else computed by :func:`~mamori.scan.source.make_finding` from the parsed source;
* results that are suppressed (an accepted suppression), absent from the baseline
  (``baselineState: absent``) or not failures (``kind`` pass, notApplicable, informational) are
  not findings and are skipped.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import threading
from collections.abc import Mapping, Sequence
from functools import cache
from importlib.resources import files as resource_files
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urlparse

import jsonschema
from jsonschema.exceptions import best_match

from mamori.domain import (
    Confidence,
    DependencyRef,
    EngineId,
    Fingerprint,
    FlowStep,
    Location,
    NotAnalysed,
    RawFinding,
    ScanReport,
    Severity,
)
from mamori.errors import BadInputFileError
from mamori.fingerprint import FINGERPRINT_VERSION
from mamori.scan.interface import ScanTarget
from mamori.scan.source import make_finding

__all__ = ["SarifImportScanner", "load_sarif", "sarif_validator"]

ENGINE = EngineId("sarif")
MAMORI_DRIVER = "mamori"

_CWE_TEXT = re.compile(r"\bcwe[-_/ ]?(\d+)", re.IGNORECASE)
_LEVEL = {
    "error": Severity.HIGH,
    "warning": Severity.MEDIUM,
    "note": Severity.LOW,
    "none": Severity.INFO,
}
_CONFIDENCE = {
    "very-high": Confidence.HIGH,
    "high": Confidence.HIGH,
    "medium": Confidence.MEDIUM,
    "low": Confidence.LOW,
}
_NOT_FINDINGS = {"pass", "notApplicable", "informational"}

_validator_lock = threading.Lock()


@cache
def _schema() -> dict[str, Any]:
    text = (resource_files("mamori") / "data" / "schemas" / "sarif-schema-2.1.0.json").read_text(
        encoding="utf-8"
    )
    schema: dict[str, Any] = json.loads(text)
    return schema


@cache
def sarif_validator() -> jsonschema.protocols.Validator:
    """A validator for the bundled SARIF 2.1.0 schema (built once)."""
    schema = _schema()
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def load_sarif(path: Path) -> dict[str, Any]:
    """Read, parse and validate one SARIF 2.1.0 file; raises BadInputFileError."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as e:
        raise BadInputFileError(f"SARIF file {path} cannot be read: {e}") from e
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise BadInputFileError(
            f"SARIF file {path} is not valid JSON: {e.msg} at line {e.lineno}, column {e.colno}"
        ) from e
    if not isinstance(data, dict):
        raise BadInputFileError(
            f"SARIF file {path} is not a SARIF log: the top level is not an object"
        )
    version = data.get("version")
    if version != "2.1.0":
        raise BadInputFileError(
            f"SARIF file {path} is not SARIF 2.1.0 (version: {version!r})",
            hint="export SARIF version 2.1.0 from the tool",
        )
    with _validator_lock:
        error = best_match(sarif_validator().iter_errors(data))
    if error is not None:
        where = error.json_path
        schema_path = "/".join(str(p) for p in error.absolute_schema_path)
        raise BadInputFileError(
            f"SARIF file {path} does not match the SARIF 2.1.0 schema at {where}: "
            f"{error.message} (schema path: {schema_path})"
        )
    return data


class SarifImportScanner:
    """Imports the results of SARIF 2.1.0 files produced by other tools."""

    id: EngineId = ENGINE
    description = "SARIF import: results of other analysers (Semgrep, CodeQL, ...) from SARIF 2.1.0"

    def __init__(self, paths: Sequence[Path]) -> None:
        self.paths = tuple(paths)

    def scan(self, target: ScanTarget) -> ScanReport:
        findings: list[RawFinding] = []
        not_analysed: list[NotAnalysed] = []
        engines: list[EngineId] = [ENGINE]
        seen_files: set[str] = set()
        for path in self.paths:
            log = load_sarif(path)
            for run in log.get("runs") or []:
                conv = _RunConverter(run, path, target)
                f, n = conv.convert()
                findings.extend(f)
                not_analysed.extend(n)
                for item in f:
                    seen_files.add(item.location.path)
                    if item.engine not in engines:
                        engines.append(item.engine)
        return ScanReport(
            findings=tuple(findings),
            not_analysed=tuple(not_analysed),
            engines=tuple(engines),
            files_scanned=len(seen_files),
        )


def _namespace(driver_name: str) -> str:
    return "-".join(driver_name.strip().lower().split()) or "sarif"


class _RunConverter:
    def __init__(self, run: Mapping[str, Any], sarif_path: Path, target: ScanTarget) -> None:
        self.run = run
        self.sarif_path = sarif_path
        self.target = target
        self.root = target.root.resolve()
        driver = run["tool"]["driver"]
        self.namespace = _namespace(str(driver.get("name", "")))
        self.is_mamori = self.namespace == MAMORI_DRIVER
        self.rules: list[Mapping[str, Any]] = list(driver.get("rules") or [])
        self.rules_by_id = {str(r["id"]): r for r in self.rules}
        self.base_ids: Mapping[str, Any] = run.get("originalUriBaseIds") or {}
        self.artifacts: list[Mapping[str, Any]] = list(run.get("artifacts") or [])

    def convert(self) -> tuple[list[RawFinding], list[NotAnalysed]]:
        findings: list[RawFinding] = []
        notes: list[NotAnalysed] = []
        for result in self.run.get("results") or []:
            if not self._is_finding(result):
                continue
            made = self._finding(result)
            if isinstance(made, NotAnalysed):
                notes.append(made)
            else:
                findings.append(made)
        return findings, notes

    @staticmethod
    def _is_finding(result: Mapping[str, Any]) -> bool:
        if result.get("kind", "fail") in _NOT_FINDINGS:
            return False
        if result.get("baselineState") == "absent":
            return False
        return not any(
            s.get("status", "accepted") == "accepted" for s in result.get("suppressions") or []
        )

    # --- rule, CWE, severity, confidence ---------------------------------------------------

    def _rule(self, result: Mapping[str, Any]) -> Mapping[str, Any] | None:
        idx = result.get("ruleIndex")
        if idx is None and isinstance(result.get("rule"), dict):
            idx = result["rule"].get("index")
        if isinstance(idx, int) and 0 <= idx < len(self.rules):
            return self.rules[idx]
        rid = self._raw_rule_id(result)
        return self.rules_by_id.get(rid) if rid else None

    @staticmethod
    def _raw_rule_id(result: Mapping[str, Any]) -> str | None:
        rid = result.get("ruleId")
        if rid is None and isinstance(result.get("rule"), dict):
            rid = result["rule"].get("id")
        return str(rid) if rid is not None else None

    def _rule_id(self, result: Mapping[str, Any], rule: Mapping[str, Any] | None) -> str:
        rid = self._raw_rule_id(result) or (str(rule["id"]) if rule else "unknown")
        if self.is_mamori or rid.startswith(f"{self.namespace}:"):
            return rid
        return f"{self.namespace}:{rid}"

    def _engine(self, result: Mapping[str, Any], rule_id: str) -> str:
        if self.is_mamori:
            engines = (result.get("properties") or {}).get("engines")
            if isinstance(engines, list) and engines:
                return str(engines[0])
            return rule_id.split(":", 1)[0] if ":" in rule_id else MAMORI_DRIVER
        return self.namespace

    @staticmethod
    def _cwe(*bags: Mapping[str, Any] | None) -> int:
        for bag in bags:
            if not bag:
                continue
            cwe = _cwe_from(bag.get("cwe"))
            if cwe:
                return cwe
            cwe = _cwe_from(bag.get("tags"))
            if cwe:
                return cwe
        return 0

    @staticmethod
    def _severity(
        result: Mapping[str, Any],
        props: Mapping[str, Any],
        rule: Mapping[str, Any] | None,
        rule_props: Mapping[str, Any],
    ) -> Severity:
        for bag in (props, rule_props):
            score = _float(bag.get("security-severity"))
            if score is not None:
                return Severity.from_cvss(score)
        level = result.get("level")
        if level is None and rule is not None:
            level = (rule.get("defaultConfiguration") or {}).get("level")
        return _LEVEL.get(str(level or "warning"), Severity.MEDIUM)

    @staticmethod
    def _confidence(*bags: Mapping[str, Any]) -> Confidence:
        for bag in bags:
            for key in ("confidence", "precision"):
                value = bag.get(key)
                if isinstance(value, str) and value.lower() in _CONFIDENCE:
                    return _CONFIDENCE[value.lower()]
        return Confidence.MEDIUM

    # --- locations -------------------------------------------------------------------------

    def _artifact_uri(self, loc: Mapping[str, Any]) -> tuple[str | None, str | None]:
        uri = loc.get("uri")
        base = loc.get("uriBaseId")
        idx = loc.get("index")
        if uri is None and isinstance(idx, int) and 0 <= idx < len(self.artifacts):
            art = self.artifacts[idx].get("location") or {}
            uri, base = art.get("uri"), art.get("uriBaseId", base)
        return (str(uri) if uri is not None else None), (str(base) if base else None)

    def _base_path(self, base: str | None, depth: int = 0) -> Path:
        """The absolute directory a uriBaseId stands for (the repository root by default)."""
        if base is None or depth > 10:
            return self.root
        entry = self.base_ids.get(base)
        if not isinstance(entry, dict) or "uri" not in entry:
            return self.root  # e.g. %SRCROOT% without a recorded location
        uri = str(entry["uri"])
        parsed = urlparse(uri)
        if parsed.scheme == "file":
            return Path(unquote(parsed.path))
        if parsed.scheme:
            return self.root  # a non-file base (http...) says nothing about the disk
        return self._base_path(entry.get("uriBaseId"), depth + 1) / unquote(uri)

    def _relative_path(self, uri: str, base: str | None) -> str | None:
        """Repository-relative POSIX path for ``uri``, or None when it is outside the root."""
        parsed = urlparse(uri)
        if parsed.scheme == "file":
            full = Path(unquote(parsed.path))
        elif parsed.scheme and len(parsed.scheme) > 1:
            return None  # http:, https:, ...: not a file in this repository
        else:
            full = self._base_path(base) / unquote(uri)
        resolved = Path(os.path.normpath(full))
        try:
            rel = resolved.relative_to(self.root)
        except ValueError:
            return None
        posix = PurePosixPath(rel.as_posix()).as_posix()
        return None if posix in {"", "."} else posix

    def _location(self, physical: Mapping[str, Any]) -> tuple[str | None, str, Mapping[str, Any]]:
        uri, base = self._artifact_uri(physical.get("artifactLocation") or {})
        region = physical.get("region") or {}
        if uri is None:
            return None, "", region
        return self._relative_path(uri, base), uri, region

    def _flow(self, result: Mapping[str, Any]) -> tuple[FlowStep, ...]:
        steps: list[FlowStep] = []
        for cf in result.get("codeFlows") or []:
            for tf in cf.get("threadFlows") or []:
                for tfl in tf.get("locations") or []:
                    loc = tfl.get("location") or {}
                    path, _, region = self._location(loc.get("physicalLocation") or {})
                    if path is None:
                        continue
                    steps.append(
                        FlowStep(
                            location=Location(
                                path=path,
                                start_line=int(region.get("startLine", 1)),
                                end_line=region.get("endLine"),
                                start_col=region.get("startColumn"),
                            ),
                            message=str((loc.get("message") or {}).get("text", "")),
                        )
                    )
            if steps:
                break  # the first code flow is the one shown
        return tuple(steps)

    # --- one result ------------------------------------------------------------------------

    def _finding(self, result: Mapping[str, Any]) -> RawFinding | NotAnalysed:
        rule = self._rule(result)
        rule_id = self._rule_id(result, rule)
        props: Mapping[str, Any] = result.get("properties") or {}
        rule_props: Mapping[str, Any] = (rule or {}).get("properties") or {}
        locations = result.get("locations") or []
        physical = (locations[0].get("physicalLocation") if locations else None) or {}
        path, uri, region = self._location(physical)
        if path is None:
            where = f"at {uri}, outside the repository" if uri else "without a file location"
            return NotAnalysed(
                path=uri,
                engine=ENGINE,
                reason=f"{self.sarif_path}: result {rule_id} {where}: not imported",
            )
        line = int(region.get("startLine", 1))
        end_line = region.get("endLine")
        snippet = (region.get("snippet") or {}).get("text")
        message = _message(result, rule)
        cwe = self._cwe(props, rule_props)
        source = self.target.sources.get(path)
        dependency = _dependency(props.get("dependency")) if self.is_mamori else None
        line_text: str | None = None  # with a parsed source, make_finding reads the line
        if source is None:
            # Dependency findings are fingerprinted on the package, not the pin's text (see
            # mamori.scan.deps), so that they survive version bumps.
            line_text = (
                f"{dependency.package} dependency"
                if dependency is not None
                else (snippet.splitlines()[0] if snippet else "")
            )
        finding = make_finding(
            source=source,
            path=path,
            line=line,
            end_line=end_line if isinstance(end_line, int) else None,
            column=region.get("startColumn")
            if isinstance(region.get("startColumn"), int)
            else None,
            rule_id=rule_id,
            engine=self._engine(result, rule_id),
            cwe=cwe,
            message=message,
            severity=self._severity(result, props, rule, rule_props),
            confidence=self._confidence(props, rule_props),
            snippet=snippet if source is None else None,
            line_text=line_text,
            flow=self._flow(result),
            dependency=dependency,
            help_uri=str(rule["helpUri"]) if rule and rule.get("helpUri") else None,
        )
        stored = (result.get("partialFingerprints") or {}).get(FINGERPRINT_VERSION)
        if isinstance(stored, str) and stored:
            finding = dataclasses.replace(finding, fingerprint=Fingerprint(stored))
        return finding


# --- helpers --------------------------------------------------------------------------------


def _message(result: Mapping[str, Any], rule: Mapping[str, Any] | None) -> str:
    msg = result.get("message") or {}
    text = msg.get("text")
    if text is None and "id" in msg and rule is not None:
        template = ((rule.get("messageStrings") or {}).get(msg["id"]) or {}).get("text")
        if template:
            text = str(template)
            for i, arg in enumerate(msg.get("arguments") or []):
                text = text.replace(f"{{{i}}}", str(arg))
    if text is None and rule is not None:
        text = (rule.get("shortDescription") or {}).get("text")
    return str(text or "")


def _cwe_from(value: Any) -> int:
    if isinstance(value, bool):
        return 0
    if isinstance(value, int):
        return value if value > 0 else 0
    if isinstance(value, str):
        text = value.strip()
        if text.isdigit():
            return int(text)
        m = _CWE_TEXT.search(text)
        return int(m.group(1)) if m else 0
    if isinstance(value, list):
        for item in value:
            # Only strings that name a CWE: a bare number in a tag list means nothing.
            if isinstance(item, int) or (isinstance(item, str) and not item.strip().isdigit()):
                cwe = _cwe_from(item)
                if cwe:
                    return cwe
    return 0


def _float(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


def _dependency(value: Any) -> DependencyRef | None:
    if not isinstance(value, dict):
        return None
    try:
        return DependencyRef(
            package=str(value["package"]),
            version=str(value["version"]),
            manifest=str(value["manifest"]),
            advisory_id=str(value["advisoryId"]),
            aliases=tuple(str(a) for a in value.get("aliases") or ()),
            fixed_versions=tuple(str(v) for v in value.get("fixedVersions") or ()),
        )
    except KeyError:
        return None
