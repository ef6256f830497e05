"""Bandit (PyCQA's AST security linter) as a Mamori engine.

Bandit runs in a subprocess (``python -m bandit -f json``) on the explicit list of Python files
the inventory parsed, so that a crash in Bandit cannot take Mamori down and Bandit's own file
discovery and configuration files play no part. Its JSON report becomes
:class:`~mamori.domain.RawFinding` values built with :func:`mamori.scan.source.make_finding`, so
scope and fingerprint are computed the same way as for every other engine.

Bandit parses with the ``ast`` module of the interpreter it runs on: files using newer syntax
(e.g. Python 3.12 ``type`` aliases or PEP 701 f-strings on Python 3.11) appear in Bandit's
``errors`` list. Those files are down-levelled as Mamori's own engine does
(:func:`mamori.scan.taint.downlevel.downlevel`: 3.11 syntax, every statement on its original
line), written under the same relative path in a private temporary directory, and given to one
more Bandit run; its findings are mapped back to the original files (lines are kept; columns are
re-aligned on the original line and snippets read from the original source). Files that still
cannot be parsed are reported as not analysed *by Bandit*, with the reason.

Columns are 1-based (Bandit's ``col_offset`` + 1), like SARIF's ``startColumn``.
"""

from __future__ import annotations

import ast
import difflib
import importlib.util
import json
import logging
import subprocess
import sys
import tempfile
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import Any

import libcst as cst

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
from mamori.scan.taint.downlevel import DownlevelError, downlevel

__all__ = ["CWE_REMAP", "DEFAULT_SKIPS", "BanditOptions", "BanditScanner"]

ENGINE = EngineId("bandit")

_log = logging.getLogger(__name__)

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
        errors: dict[str, str] = {}
        for report in self._run_chunks(target.root, paths):
            f, e = self._convert(report, target, target.root)
            findings.extend(f)
            errors.update(e)
        not_analysed: list[NotAnalysed] = []
        if errors:
            f, not_analysed = self._scan_downlevelled(target, errors)
            findings.extend(f)
        return ScanReport(
            findings=tuple(findings),
            not_analysed=tuple(not_analysed),
            engines=(ENGINE,),
            files_scanned=len(paths),
        )

    def _scan_downlevelled(
        self, target: ScanTarget, errors: Mapping[str, str]
    ) -> tuple[list[RawFinding], list[NotAnalysed]]:
        """Bandit's findings in the files it could not parse, after down-levelling them, and
        the files that stay not analysed."""
        lowered: dict[str, str] = {}
        not_analysed: list[NotAnalysed] = []
        for path, reason in sorted(errors.items()):
            text, why = _downlevel(target, path)
            if text is None:
                not_analysed.append(self._not_analysed(path, reason, why))
            else:
                lowered[path] = text
        if not lowered:
            return [], not_analysed
        findings: list[RawFinding] = []
        # Only the down-levelled files go into the directory: Bandit analyses file by file.
        with tempfile.TemporaryDirectory(prefix="mamori-bandit-downlevel-") as tmp:
            root = Path(tmp)
            for path, text in lowered.items():
                dest = root / path
                dest.parent.mkdir(parents=True, exist_ok=True)
                dest.write_text(text, encoding="utf-8")
            for report in self._run_chunks(root, sorted(lowered)):
                f, e = self._convert(report, target, root)
                findings.extend(_realign(finding, target, lowered) for finding in f)
                for path, reason in sorted(e.items()):
                    lowered.pop(path, None)
                    not_analysed.append(
                        self._not_analysed(
                            path,
                            reason,
                            "Mamori down-levelled its newer syntax, but bandit still could not "
                            "parse it",
                        )
                    )
        if lowered:
            _log.info(
                "bandit: %d file(s) analysed after down-levelling Python 3.12+ syntax: %s",
                len(lowered),
                ", ".join(sorted(lowered)),
            )
        return findings, not_analysed

    def _not_analysed(self, path: str, reason: str, why: str | None) -> NotAnalysed:
        python = f"{sys.version_info.major}.{sys.version_info.minor}"
        where = ")" if self.options.python is None else f" at {self.options.python})"
        return NotAnalysed(
            path=path,
            engine=ENGINE,
            reason=f"bandit: {reason} (bandit parses with the ast module of Python {python}"
            + where
            + (f"; {why}" if why else ""),
        )

    # --- running Bandit --------------------------------------------------------------------

    def _check_available(self) -> None:
        if self.options.python is None and importlib.util.find_spec("bandit") is None:
            raise EngineUnavailableError(
                "the bandit engine needs Bandit, which is not installed",
                hint=f"{sys.executable} -m pip install bandit (or disable the bandit engine)",
            )

    def _run_chunks(self, root: Path, paths: Sequence[str]) -> list[dict[str, Any]]:
        size = max(1, self.options.chunk_size)
        return [self._run(root, paths[i : i + size]) for i in range(0, len(paths), size)]

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
        self, report: Mapping[str, Any], target: ScanTarget, root: Path
    ) -> tuple[list[RawFinding], dict[str, str]]:
        """Findings of one Bandit report, and the files it could not analyse (path -> reason).
        ``root`` is the directory Bandit ran in (the target's or the down-levelled copy's)."""
        skip = set(self.options.skip)
        errors = {
            _relative(str(err.get("filename", "")), root): str(err.get("reason", "unknown error"))
            for err in report.get("errors", [])
            if isinstance(err, dict)
        }
        findings: list[RawFinding] = []
        for item in report["results"]:
            if not isinstance(item, dict):
                raise ScanError(f"bandit's report has a malformed result: {item!r:.200}")
            test_id = str(item.get("test_id", ""))
            if test_id in skip:
                continue
            findings.append(self._finding(item, test_id, target, root))
        return findings, errors

    def _finding(
        self, item: Mapping[str, Any], test_id: str, target: ScanTarget, root: Path
    ) -> RawFinding:
        path = _relative(str(item.get("filename", "")), root)
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


def _downlevel(target: ScanTarget, path: str) -> tuple[str | None, str | None]:
    """(down-levelled text, None), or (None, why not) when that would not help."""
    src = target.sources.get(path)
    if src is None:
        return None, None
    try:
        text = downlevel(src.text, src.module)
    except DownlevelError as e:
        return None, f"not valid Python ({e})"
    except cst.ParserSyntaxError as e:
        return None, f"not valid Python (syntax error at line {e.editor_line}: {e.message})"
    except RecursionError:
        return None, "too deeply nested to down-level"
    if text == src.text:
        return None, "Mamori has no down-levelling for the syntax it uses"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SyntaxWarning)
        try:
            ast.parse(text, filename=path)
        except SyntaxError as e:
            return None, (
                "uses syntax Mamori cannot down-level "
                f"({e.msg}, line {e.lineno} after down-levelling)"
            )
        except (ValueError, RecursionError, MemoryError) as e:
            return None, f"cannot be parsed after down-levelling: {type(e).__name__}"
    return text, None


def _realign(finding: RawFinding, target: ScanTarget, lowered: Mapping[str, str]) -> RawFinding:
    """``finding`` (from a down-levelled copy) with its column on the original line.

    Lines are kept by down-levelling, and :func:`make_finding` already took the snippet from the
    original source; only a column on a rewritten line (``type X = ...`` -> ``X = ...``, or a
    re-quoted f-string) can differ. It is mapped through the characters the two lines share, and
    dropped when it points into rewritten text.
    """
    loc = finding.location
    src = target.sources.get(loc.path)
    text = lowered.get(loc.path)
    if loc.start_col is None or src is None or text is None:
        return finding
    lines = text.splitlines()
    new = lines[loc.start_line - 1] if 0 < loc.start_line <= len(lines) else ""
    old = src.line(loc.start_line)
    if new == old:
        return finding
    col = loc.start_col - 1
    column: int | None = None
    matcher = difflib.SequenceMatcher(None, new, old, autojunk=False)
    for a, b, size in matcher.get_matching_blocks():
        if a <= col < a + size:
            column = b + (col - a) + 1
            break
    return replace(finding, location=replace(loc, start_col=column))


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
