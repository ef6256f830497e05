"""Bandit (PyCQA's AST security linter) as a Mamori engine.

Bandit runs in a subprocess (``python -m bandit -f json``) on the explicit list of Python files
the inventory parsed, so that a crash in Bandit cannot take Mamori down and Bandit's own file
discovery and configuration files play no part. Its JSON report becomes
:class:`~mamori.domain.RawFinding` values built with :func:`mamori.scan.source.make_finding`, so
scope and fingerprint are computed the same way as for every other engine.

Bandit parses with the ``ast`` module of the interpreter it runs on: files using newer syntax
(e.g. Python 3.12 ``type`` aliases on Python 3.11) appear in Bandit's ``errors`` list and are
reported as not analysed *by Bandit*, although LibCST (and so Mamori's own engine) reads them.

Columns are 1-based (Bandit's ``col_offset`` + 1), like SARIF's ``startColumn``.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from mamori.domain import (
    Confidence,
    EngineId,
    NotAnalysed,
    RawFinding,
    ScanReport,
    Severity,
)
from mamori.errors import EngineUnavailableError
from mamori.scan.interface import ScanError, ScanTarget
from mamori.scan.source import make_finding

__all__ = ["CWE_REMAP", "DEFAULT_SKIPS", "BanditOptions", "BanditScanner"]

ENGINE = EngineId("bandit")

# Tests skipped by default: they flag code that is not a vulnerability by itself.
# B101: ``assert`` (removed under -O; a robustness issue, not a vulnerability).
# B401-B415: importing a module (pickle, subprocess, xml, telnetlib, ...) is not a flaw; the
#   calls that misuse those modules have their own tests (B301, B602, B313, ...).
# B603: subprocess without a shell: flags every argument-list call, including constant ones.
# B607: starting a process by a partial path ("git" rather than "/usr/bin/git").
DEFAULT_SKIPS: tuple[str, ...] = (
    "B101",
    *(f"B{n}" for n in range(401, 416)),
    "B603",
    "B607",
)

# Where Bandit's CWE is too generic to drive fixers and prioritisation, the precise one.
# Every other test keeps Bandit's own CWE (e.g. B602/B605 -> 78, B608 -> 89).
#
# | test              | Bandit's CWE | Mamori's CWE                                         |
# |-------------------|--------------|------------------------------------------------------|
# | B506 yaml_load    | 20           | 502 deserialisation of untrusted data                |
# | B301 pickle       | 502          | 502                                                  |
# | B302 marshal      | 502          | 502                                                  |
# | B303 md5/sha1     | 327          | 328 use of weak hash                                 |
# | B324 hashlib      | 327          | 328 use of weak hash                                 |
# | B311 random       | 330          | 330 insufficiently random values                     |
# | B105/B106/B107    | 259          | 798 use of hard-coded credentials                    |
#
# B304 (insecure *ciphers*: DES, ARC4, Blowfish) keeps 327, broken cryptographic algorithm:
# it is not a hash, and 328 would send it to the weak-hash fixers.
CWE_REMAP: Mapping[str, int] = {
    "B506": 502,
    "B301": 502,
    "B302": 502,
    "B303": 328,
    "B324": 328,
    "B311": 330,
    "B105": 798,
    "B106": 798,
    "B107": 798,
}

_SEVERITY = {
    "LOW": Severity.LOW,
    "MEDIUM": Severity.MEDIUM,
    "HIGH": Severity.HIGH,
}
_CONFIDENCE = {
    "LOW": Confidence.LOW,
    "MEDIUM": Confidence.MEDIUM,
    "HIGH": Confidence.HIGH,
}

# Bandit's exit codes: 0 no issues, 1 issues found; anything else is a failure.
_BANDIT_OK_CODES = (0, 1)


@dataclass(frozen=True, kw_only=True)
class BanditOptions:
    skip: tuple[str, ...] = DEFAULT_SKIPS  # test ids not run (and dropped if reported)
    chunk_size: int = 200  # files per Bandit process (keeps command lines short)
    timeout_s: float = 600.0  # per Bandit process
    ignore_nosec: bool = False  # True: report findings on lines marked ``# nosec`` too
    python: str | None = None  # interpreter that has Bandit installed; None: this one


class BanditScanner:
    """Runs Bandit on the parsed Python files of a target."""

    id: EngineId = ENGINE
    description = "Bandit (PyCQA): AST-based security linter for Python, run in a subprocess"

    def __init__(self, options: BanditOptions | None = None) -> None:
        self.options = options or BanditOptions()

    def scan(self, target: ScanTarget) -> ScanReport:
        paths = sorted(target.sources)
        if not paths:
            return ScanReport(findings=(), not_analysed=(), engines=(ENGINE,), files_scanned=0)
        self._check_available()
        findings: list[RawFinding] = []
        not_analysed: list[NotAnalysed] = []
        size = max(1, self.options.chunk_size)
        for i in range(0, len(paths), size):
            report = self._run(target.root, paths[i : i + size])
            f, n = self._convert(report, target)
            findings.extend(f)
            not_analysed.extend(n)
        return ScanReport(
            findings=tuple(findings),
            not_analysed=tuple(not_analysed),
            engines=(ENGINE,),
            files_scanned=len(paths),
        )

    # --- running Bandit --------------------------------------------------------------------

    def _check_available(self) -> None:
        if self.options.python is None and importlib.util.find_spec("bandit") is None:
            raise EngineUnavailableError(
                "the bandit engine needs Bandit, which is not installed",
                hint=f"{sys.executable} -m pip install bandit (or disable the bandit engine)",
            )

    def _run(self, root: Path, paths: Sequence[str]) -> dict[str, Any]:
        python = self.options.python or sys.executable
        with tempfile.TemporaryDirectory(prefix="mamori-bandit-") as tmp:
            out = Path(tmp) / "bandit.json"
            cmd = [python, "-m", "bandit", "-f", "json", "-q", "-o", str(out)]
            if self.options.skip:
                cmd += ["-s", ",".join(self.options.skip)]
            if self.options.ignore_nosec:
                cmd.append("--ignore-nosec")
            cmd += ["--", *paths]
            try:
                proc = subprocess.run(
                    cmd,
                    cwd=root,
                    capture_output=True,
                    text=True,
                    timeout=self.options.timeout_s,
                    check=False,
                )
            except FileNotFoundError as e:
                raise EngineUnavailableError(
                    f"cannot start {python} to run bandit: {e}",
                    hint="set the bandit engine's python to an interpreter with bandit installed",
                ) from e
            except subprocess.TimeoutExpired as e:
                raise ScanError(
                    f"bandit did not finish within {self.options.timeout_s:g} s "
                    f"on {len(paths)} files"
                ) from e
            stderr = proc.stderr.strip()
            if "No module named bandit" in stderr:
                raise EngineUnavailableError(
                    f"bandit is not installed for {python}",
                    hint=f"{python} -m pip install bandit",
                )
            if proc.returncode not in _BANDIT_OK_CODES:
                raise ScanError(
                    f"bandit failed with exit code {proc.returncode}: {_tail(stderr)}",
                )
            try:
                text = out.read_text(encoding="utf-8")
            except OSError as e:
                raise ScanError(f"bandit wrote no report: {_tail(stderr)}") from e
        try:
            data = json.loads(text)
        except json.JSONDecodeError as e:
            raise ScanError(
                f"bandit's report is not JSON ({e.msg} at line {e.lineno}, column {e.colno}): "
                f"{_tail(text)}"
            ) from e
        if not isinstance(data, dict) or not isinstance(data.get("results"), list):
            raise ScanError("bandit's report has no 'results' list")
        return data

    # --- converting its report -------------------------------------------------------------

    def _convert(
        self, report: Mapping[str, Any], target: ScanTarget
    ) -> tuple[list[RawFinding], list[NotAnalysed]]:
        skip = set(self.options.skip)
        python = f"{sys.version_info.major}.{sys.version_info.minor}"
        not_analysed = [
            NotAnalysed(
                path=_relative(str(err.get("filename", "")), target.root),
                engine=ENGINE,
                reason=f"bandit: {err.get('reason', 'unknown error')} "
                f"(bandit parses with the ast module of Python {python}"
                + (")" if self.options.python is None else f" at {self.options.python})"),
            )
            for err in report.get("errors", [])
            if isinstance(err, dict)
        ]
        findings: list[RawFinding] = []
        for item in report["results"]:
            if not isinstance(item, dict):
                raise ScanError(f"bandit's report has a malformed result: {item!r:.200}")
            test_id = str(item.get("test_id", ""))
            if test_id in skip:
                continue
            findings.append(self._finding(item, test_id, target))
        return findings, not_analysed

    def _finding(self, item: Mapping[str, Any], test_id: str, target: ScanTarget) -> RawFinding:
        path = _relative(str(item.get("filename", "")), target.root)
        try:
            line = int(item["line_number"])
        except (KeyError, TypeError, ValueError) as e:
            raise ScanError(f"bandit result without a line number: {item!r:.200}") from e
        line_range = [int(n) for n in item.get("line_range") or [] if isinstance(n, int)]
        end_line = max(line_range) if line_range and max(line_range) > line else None
        col = item.get("col_offset")
        cwe_info = item.get("issue_cwe")
        bandit_cwe = int(cwe_info.get("id", 0)) if isinstance(cwe_info, dict) else 0
        more_info = item.get("more_info")
        return make_finding(
            source=target.sources.get(path),
            path=path,
            line=line,
            end_line=end_line,
            column=col + 1 if isinstance(col, int) else None,
            rule_id=f"bandit:{test_id}",
            engine=ENGINE,
            cwe=CWE_REMAP.get(test_id, bandit_cwe),
            message=str(item.get("issue_text", test_id)),
            severity=_SEVERITY.get(str(item.get("issue_severity", "")).upper(), Severity.LOW),
            confidence=_CONFIDENCE.get(
                str(item.get("issue_confidence", "")).upper(), Confidence.LOW
            ),
            help_uri=more_info if isinstance(more_info, str) and more_info else None,
        )


def _relative(filename: str, root: Path) -> str:
    """Bandit's file name ("./pkg/a.py" or absolute) as a repository-relative POSIX path."""
    p = Path(filename)
    if p.is_absolute():
        try:
            p = p.relative_to(root)
        except ValueError:
            return p.as_posix()
    posix = PurePosixPath(p.as_posix())
    parts = [part for part in posix.parts if part != "."]
    return "/".join(parts)


def _tail(text: str, limit: int = 500) -> str:
    text = text.strip()
    if not text:
        return "(no output)"
    return text if len(text) <= limit else "..." + text[-limit:]
