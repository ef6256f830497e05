from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from mamori.domain import Confidence, RawFinding, ScanReport, Severity
from mamori.errors import EngineUnavailableError
from mamori.fingerprint import fingerprint
from mamori.scan.bandit import DEFAULT_SKIPS, BanditOptions, BanditScanner
from mamori.scan.interface import ScanError, Scanner, ScanOptions
from mamori.scan.inventory import build_target

VULNERABLE = """\
import hashlib
import pickle
import random
import subprocess

import yaml


def search(db, q):
    return db.execute(f"SELECT id FROM accounts WHERE name LIKE '%{q}%'").fetchall()


def export(name):
    subprocess.run(f"tar -czf out.tgz {name}", shell=True, check=True)


def load(data):
    return yaml.load(data, Loader=yaml.Loader)


def hash_password(password):
    return hashlib.md5(password.encode()).hexdigest()


def token():
    return "".join(random.choice("abcdef") for _ in range(32))


def health():
    assert True
    return subprocess.run(["uptime"], capture_output=True, check=False)


PASSWORD = "hunter2"
"""


def scan(root: Path, options: BanditOptions | None = None):
    target, _ = build_target(root, ScanOptions())
    return target, BanditScanner(options).scan(target)


def by_rule(report: ScanReport) -> dict[str, list[RawFinding]]:
    out: dict[str, list[RawFinding]] = {}
    for f in report.findings:
        out.setdefault(f.rule_id, []).append(f)
    return out


def test_is_a_scanner_constructible_without_arguments() -> None:
    scanner = BanditScanner()
    assert isinstance(scanner, Scanner)
    assert scanner.id == "bandit"
    assert scanner.description


def test_finds_real_issues_with_mamori_cwes(make_repo) -> None:
    root = make_repo({"portal/views.py": VULNERABLE})
    target, report = scan(root)
    rules = by_rule(report)

    assert report.engines == ("bandit",)
    assert report.files_scanned == 1
    assert report.not_analysed == ()
    cwe = {rule: fs[0].cwe for rule, fs in rules.items()}
    assert cwe["bandit:B608"] == 89
    assert cwe["bandit:B602"] == 78
    assert cwe["bandit:B506"] == 502  # Bandit says 20
    assert cwe["bandit:B324"] == 328  # Bandit says 327
    assert cwe["bandit:B311"] == 330
    assert cwe["bandit:B105"] == 798  # Bandit says 259
    # Default skips: assert, import-only blacklists, argument-list subprocess, partial path.
    for skipped in ("bandit:B101", "bandit:B403", "bandit:B404", "bandit:B603", "bandit:B607"):
        assert skipped not in rules

    sql = rules["bandit:B608"][0]
    assert sql.engine == "bandit"
    assert sql.location.path == "portal/views.py"
    assert sql.location.start_line == 10
    assert sql.location.start_col is not None and sql.location.start_col >= 1
    assert sql.scope == "search"
    assert "SELECT id FROM accounts" in sql.snippet
    assert sql.severity is Severity.MEDIUM
    assert sql.confidence in set(Confidence)
    assert sql.help_uri and "b608" in sql.help_uri
    source = target.sources["portal/views.py"]
    assert sql.fingerprint == fingerprint(
        cwe=89, path="portal/views.py", scope="search", line_text=source.line(10)
    )
    shell = rules["bandit:B602"][0]
    assert shell.severity is Severity.HIGH
    assert shell.scope == "export"


def test_fingerprints_survive_inserted_lines(make_repo) -> None:
    before = make_repo({"v.py": VULNERABLE})
    after = make_repo({"v.py": "# a new header comment\n\n" + VULNERABLE})
    _, r1 = scan(before)
    _, r2 = scan(after)
    fp1 = {(f.rule_id, f.fingerprint) for f in r1.findings}
    fp2 = {(f.rule_id, f.fingerprint) for f in r2.findings}
    assert fp1 == fp2
    lines1 = {f.location.start_line for f in r1.findings}
    lines2 = {f.location.start_line for f in r2.findings}
    assert {n + 2 for n in lines1} == lines2


def test_skips_are_configurable(make_repo) -> None:
    root = make_repo({"v.py": VULNERABLE})
    _, report = scan(root, BanditOptions(skip=("B608",)))
    rules = by_rule(report)
    assert "bandit:B608" not in rules
    assert "bandit:B101" in rules  # no longer skipped by default
    assert "bandit:B603" in rules
    assert set(DEFAULT_SKIPS) >= {"B101", "B401", "B404", "B415", "B603", "B607"}


def test_python_312_file_is_not_analysed_by_bandit(make_repo) -> None:
    root = make_repo(
        {
            # PEP 701 backslash in a replacement field: Mamori cannot down-level it.
            "new.py": "type Alias = list[int]\n\n\n"
            "def first[T](xs: list[T]) -> T:\n    return f\"{'\\\\n'.join(xs)}\"\n",
            "old.py": "import subprocess\nsubprocess.call('ls ' + input(), shell=True)\n",
        }
    )
    target, report = scan(root)
    # LibCST reads the file, so it is a parsed source ...
    assert "new.py" in target.sources
    # ... but Bandit (on this interpreter's ast) cannot, and says so.
    if sys.version_info >= (3, 12):
        pytest.skip("bandit parses PEP 695 syntax on Python 3.12+")
    [na] = report.not_analysed
    assert na.path == "new.py"
    assert na.engine == "bandit"
    assert "syntax error while parsing AST" in na.reason
    assert f"Python {sys.version_info.major}.{sys.version_info.minor}" in na.reason
    # The other file is still analysed.
    assert [f.rule_id for f in report.findings] == ["bandit:B602"]


def test_chunking_gives_the_same_findings(make_repo) -> None:
    files = {f"m{i}.py": VULNERABLE for i in range(3)}
    root = make_repo(files)
    _, whole = scan(root)
    _, chunked = scan(root, BanditOptions(chunk_size=1))
    key = lambda r: sorted((f.location.path, f.rule_id, f.fingerprint) for f in r.findings)  # noqa: E731
    assert key(whole) == key(chunked)
    assert chunked.files_scanned == 3


def test_no_python_files_means_no_bandit_run(make_repo) -> None:
    root = make_repo({"README.md": "hi\n"})
    _, report = scan(root, BanditOptions(python="/nonexistent/python"))
    assert report.findings == () and report.files_scanned == 0


def test_missing_interpreter_is_engine_unavailable(make_repo) -> None:
    root = make_repo({"a.py": "x = 1\n"})
    with pytest.raises(EngineUnavailableError, match="cannot start"):
        scan(root, BanditOptions(python="/nonexistent/python"))


def test_interpreter_without_bandit_is_engine_unavailable(make_repo, tmp_path: Path) -> None:
    env = tmp_path / "bare-venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env)], check=True)
    root = make_repo({"a.py": "x = 1\n"})
    with pytest.raises(EngineUnavailableError) as info:
        scan(root, BanditOptions(python=str(env / "bin" / "python")))
    assert "not installed" in info.value.message
    assert info.value.hint and "pip install bandit" in info.value.hint


def _fake_python(tmp_path: Path, body: str) -> str:
    # Stands in for an interpreter whose bandit misbehaves; the engine's error handling is
    # what is under test here, not Bandit.
    script = tmp_path / "fake-python"
    script.write_text("#!/bin/sh\n" + body)
    script.chmod(0o755)
    return str(script)


def test_bandit_crash_is_a_scan_error(make_repo, tmp_path: Path) -> None:
    root = make_repo({"a.py": "x = 1\n"})
    python = _fake_python(tmp_path, "echo 'Traceback: boom' >&2\nexit 2\n")
    with pytest.raises(ScanError, match=r"exit code 2: Traceback: boom"):
        scan(root, BanditOptions(python=python))


def test_bandit_non_json_is_a_scan_error(make_repo, tmp_path: Path) -> None:
    root = make_repo({"a.py": "x = 1\n"})
    # Write garbage to the file given after -o (the 7th argument: -m bandit -f json -q -o F).
    python = _fake_python(tmp_path, 'echo "not json" > "$7"\nexit 0\n')
    with pytest.raises(ScanError, match="not JSON"):
        scan(root, BanditOptions(python=python))
