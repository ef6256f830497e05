"""The Bandit engine on files written for Python 3.12+: down-levelled, scanned, mapped back.

Everything here runs the real Bandit. On Python 3.12+ Bandit parses these files itself, so the
tests that are about down-levelling are skipped there.
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

import pytest

from mamori.domain import CheckName, CheckStatus, RawFinding, ScanReport
from mamori.scan.bandit import DEFAULT_SKIPS, BanditOptions, BanditScanner
from mamori.scan.interface import ScanOptions
from mamori.scan.inventory import build_target
from mamori.scan.runner import rescan_paths
from mamori.verify.checks import VerifyOptions, verify_patch
from mamori.verify.tests import TestRunOptions
from tests.verify.verify_support import commit_all, git, make_diff, make_patch, to_finding

pytestmark = pytest.mark.skipif(
    sys.version_info >= (3, 12), reason="Bandit parses 3.12 syntax itself on Python 3.12+"
)

# PEP 701 (the f-string reuses its own quote) and PEP 695 (``type``, type parameters).
PY312 = """\
import hashlib
import subprocess

type Cmd = list[str]


def run[T](d: dict[str, T]) -> int:
    cmd = f"ls {d["dir"]}"
    return subprocess.call(cmd, shell=True)


type Digest = str; h = hashlib.md5(f"{d["k"]}".encode()).hexdigest()
"""

PY311 = """\
import subprocess


def export(name):
    subprocess.run(f"tar -czf out.tgz {name}", shell=True, check=True)
"""

# LibCST parses it, but 3.11 forbids the backslash in the replacement field and Mamori does not
# rewrite that.
NOT_DOWNLEVELLABLE = """\
import subprocess

type Alias = list[str]
subprocess.call(f"{'\\\\n'.join(['ls'])}", shell=True)
"""


def scan(root: Path, options: BanditOptions | None = None) -> ScanReport:
    target, _ = build_target(root, ScanOptions())
    return BanditScanner(options).scan(target)


def located(report: ScanReport) -> list[tuple[str, str, int, int | None]]:
    return sorted(
        (f.location.path, f.rule_id, f.location.start_line, f.location.start_col)
        for f in report.findings
    )


def only(report: ScanReport, rule: str) -> RawFinding:
    [finding] = [f for f in report.findings if f.rule_id == rule]
    return finding


def test_312_file_gets_findings_at_original_lines_columns_and_snippets(
    make_repo, caplog: pytest.LogCaptureFixture
) -> None:
    root = make_repo({"pkg/new.py": PY312})
    with caplog.at_level(logging.INFO, logger="mamori.scan.bandit"):
        report = scan(root)
    assert report.not_analysed == ()
    lines = PY312.splitlines()
    md5_col = lines[11].index("hashlib.md5") + 1  # on the rewritten ``type`` line
    assert located(report) == [
        ("pkg/new.py", "bandit:B324", 12, md5_col),
        ("pkg/new.py", "bandit:B602", 9, 12),
    ]
    assert only(report, "bandit:B602").snippet == lines[8]
    # The snippet is the original line (``type``, f-string reusing its quotes), not the copy's.
    assert only(report, "bandit:B324").snippet == lines[11]
    assert only(report, "bandit:B324").cwe == 328
    assert "1 file(s) analysed after down-levelling" in caplog.text
    assert "pkg/new.py" in caplog.text


def test_fingerprint_is_the_one_of_the_original_line(make_repo) -> None:
    # The same finding on a 3.11 file with the same line text has the same fingerprint, so
    # baselines do not depend on whether the file needed down-levelling.
    lowered = PY312.replace('f"{d["k"]}"', "f\"{d['k']}\"")
    a = scan(make_repo({"m.py": PY312}))
    b = scan(make_repo({"m.py": lowered.replace("type Cmd", "Cmd").replace("run[T]", "run")}))
    assert only(a, "bandit:B602").fingerprint == only(b, "bandit:B602").fingerprint


def test_file_libcst_cannot_parse_stays_not_analysed(make_repo) -> None:
    root = make_repo({"broken.py": "print 'py2'\nimport os\nos.system(x)\n", "new.py": PY312})
    target, skipped = build_target(root, ScanOptions())
    # Not a parsed source: the inventory reports it, and Bandit is never given it.
    assert "broken.py" not in target.sources
    assert [s.path for s in skipped] == ["broken.py"]
    report = BanditScanner().scan(target)
    assert report.not_analysed == ()
    assert {f.location.path for f in report.findings} == {"new.py"}


def test_file_that_cannot_be_downlevelled_stays_not_analysed_with_the_reason(make_repo) -> None:
    root = make_repo({"odd.py": NOT_DOWNLEVELLABLE, "new.py": PY312})
    report = scan(root)
    [na] = report.not_analysed
    assert na.path == "odd.py" and na.engine == "bandit"
    assert "syntax error while parsing AST" in na.reason
    assert "cannot down-level" in na.reason and "backslash" in na.reason
    assert {f.location.path for f in report.findings} == {"new.py"}


@pytest.mark.parametrize("chunk_size", [200, 1])
def test_mixed_target_gives_findings_for_both(make_repo, chunk_size: int) -> None:
    root = make_repo({"a/old.py": PY311, "b/new.py": PY312})
    report = scan(root, BanditOptions(chunk_size=chunk_size))
    assert report.not_analysed == ()
    assert report.files_scanned == 2
    assert located(report) == [
        ("a/old.py", "bandit:B602", 5, 5),
        ("b/new.py", "bandit:B324", 12, PY312.splitlines()[11].index("hashlib.md5") + 1),
        ("b/new.py", "bandit:B602", 9, 12),
    ]


def test_second_run_keeps_the_options_and_gets_only_the_downlevelled_files(
    make_repo, tmp_path: Path
) -> None:
    nosec = PY312.replace("shell=True)", "shell=True)  # nosec")
    root = make_repo({"old.py": PY311, "pkg/new.py": nosec, "pkg/other.py": "x = 1\n"})
    # A real interpreter behind a wrapper that records each Bandit run's directory and files.
    log = tmp_path / "runs.jsonl"
    wrapper = tmp_path / "python"
    wrapper.write_text(
        "#!/bin/sh\n"
        f'"{sys.executable}" -c "import json,os,sys; '
        f'print(json.dumps([os.getcwd(), sys.argv[1:]]))" "$@" >> \'{log}\'\n'
        f'exec "{sys.executable}" "$@"\n'
    )
    wrapper.chmod(0o755)

    report = scan(root, BanditOptions(python=str(wrapper)))
    # ``# nosec`` is honoured on the down-levelled copy; the skip list still applies (B404).
    assert located(report) == [
        ("old.py", "bandit:B602", 5, 5),
        ("pkg/new.py", "bandit:B324", 12, PY312.splitlines()[11].index("hashlib.md5") + 1),
    ]
    first, second = (json.loads(line) for line in log.read_text().splitlines())
    assert Path(first[0]) == root
    assert Path(second[0]) != root and not Path(second[0]).exists()  # removed afterwards
    assert second[1][second[1].index("--") + 1 :] == ["pkg/new.py"]
    assert "-s" in second[1] and ",".join(DEFAULT_SKIPS) in second[1]

    report = scan(root, BanditOptions(ignore_nosec=True, skip=(*DEFAULT_SKIPS, "B324")))
    assert [(f.location.path, f.rule_id) for f in report.findings] == [
        ("old.py", "bandit:B602"),
        ("pkg/new.py", "bandit:B602"),
    ]


def test_patch_on_a_312_file_passes_the_bandit_rescan(tmp_path: Path) -> None:
    root = tmp_path / "project"
    (root / "app").mkdir(parents=True)
    (root / "app" / "run.py").write_text(PY312)
    git(root, "init", "-q", "-b", "main")
    base = commit_all(root)

    def rescan(tree: Path, paths: list[str]) -> ScanReport:
        return rescan_paths(tree, paths, options=ScanOptions(), scanners=[BanditScanner()])

    before = rescan(root, ["app/run.py"])
    finding = to_finding(only(before, "bandit:B602"))
    fixed = PY312.replace(
        "return subprocess.call(cmd, shell=True)", "return subprocess.call(cmd.split())"
    )
    verification = verify_patch(
        patch=make_patch(make_diff("app/run.py", PY312, fixed), files=("app/run.py",)),
        finding=finding,
        root=root,
        base_commit=base,
        baseline_tests=None,
        rescan=rescan,
        options=VerifyOptions(tests=TestRunOptions(timeout_s=120)),
    )
    checks = {c.name: c for c in verification.checks}
    assert checks[CheckName.FINDING_GONE].status is CheckStatus.PASSED, checks
    assert checks[CheckName.NO_NEW_FINDINGS].status is CheckStatus.PASSED, checks
    assert checks[CheckName.PARSES].status is CheckStatus.PASSED, checks
