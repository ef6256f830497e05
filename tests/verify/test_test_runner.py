"""mamori.verify.tests: discovery, scrubbed runs, timeouts, JUnit parsing, comparison."""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import pytest

from mamori.domain import TestSummary as Summary
from mamori.verify.tests import (
    MAX_JUNIT_BYTES,
    JUnitError,
    TestRunOptions,
    compare_tests,
    has_tests,
    parse_junit,
    run_tests,
)

# --- has_tests -------------------------------------------------------------------------------


def test_has_tests_finds_tests_directory(tmp_path: Path) -> None:
    (tmp_path / "tests").mkdir()
    assert not has_tests(tmp_path)  # an empty tests/ directory holds no tests
    (tmp_path / "tests" / "helpers.py").write_text("")
    assert has_tests(tmp_path)


@pytest.mark.parametrize("name", ["test_x.py", "pkg/x_test.py", "deep/er/test_y.py"])
def test_has_tests_finds_test_files_anywhere(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("def test_a(): pass\n")
    assert has_tests(tmp_path)


@pytest.mark.parametrize("excluded", [".venv", "node_modules", "build", ".git", "site-packages"])
def test_has_tests_ignores_excluded_directories(tmp_path: Path, excluded: str) -> None:
    (tmp_path / excluded / "tests").mkdir(parents=True)
    (tmp_path / excluded / "tests" / "test_vendored.py").write_text("")
    (tmp_path / "app.py").write_text("x = 1\n")
    assert not has_tests(tmp_path)


def test_has_tests_uses_configured_testpaths(tmp_path: Path) -> None:
    (tmp_path / "checks").mkdir()
    (tmp_path / "checks" / "check_api.py").write_text("def test_a(): pass\n")
    assert not has_tests(tmp_path)
    (tmp_path / "pyproject.toml").write_text('[tool.pytest.ini_options]\ntestpaths = ["checks"]\n')
    assert has_tests(tmp_path)
    # pytest.ini wins over pyproject.toml, and a testpath that does not exist counts for nothing.
    (tmp_path / "pytest.ini").write_text("[pytest]\ntestpaths = missing\n")
    assert not has_tests(tmp_path)


# --- run_tests -------------------------------------------------------------------------------


def write_suite(root: Path, body: str) -> None:
    (root / "pytest.ini").write_text("[pytest]\n")
    (root / "test_suite.py").write_text(body)


def test_run_tests_parses_real_pytest_outcomes(tmp_path: Path) -> None:
    write_suite(
        tmp_path,
        "import pytest\n"
        "def test_ok(): pass\n"
        "def test_bad(): assert 1 == 2\n"
        "@pytest.mark.skip(reason='no')\n"
        "def test_skip(): pass\n"
        "@pytest.fixture\n"
        "def broken(): raise RuntimeError('fixture')\n"
        "def test_err(broken): pass\n",
    )
    summary = run_tests(tmp_path, TestRunOptions(timeout_s=60))
    assert summary.exit_code == 1
    assert (summary.passed, summary.failed, summary.errors, summary.skipped) == (1, 1, 1, 1)
    assert summary.outcomes == {
        "test_suite::test_ok": "passed",
        "test_suite::test_bad": "failed",
        "test_suite::test_skip": "skipped",
        "test_suite::test_err": "error",
    }
    assert not summary.ok
    assert "test_bad" in summary.detail  # the output tail explains the failure
    assert not (tmp_path / "__pycache__").exists()  # PYTHONDONTWRITEBYTECODE
    assert not (tmp_path / ".pytest_cache").exists()


def test_run_tests_reports_no_tests_collected(tmp_path: Path) -> None:
    write_suite(tmp_path, "x = 1\n")
    summary = run_tests(tmp_path, TestRunOptions(timeout_s=60))
    assert summary.exit_code == 5
    assert "no tests were collected" in summary.detail
    assert summary.total == 0


SECRET_TEST = """\
import os

def test_cannot_see_the_secret():
    assert "AWS_SECRET_ACCESS_KEY" not in os.environ
    assert "GITHUB_TOKEN" not in os.environ
"""


def test_run_tests_hides_secrets_from_the_suite(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "fake-secret-value")
    monkeypatch.setenv("GITHUB_TOKEN", "ghp_fake")
    write_suite(tmp_path, SECRET_TEST)
    hidden = run_tests(tmp_path, TestRunOptions(timeout_s=60))
    assert hidden.ok, hidden.detail
    # Control: the same test fails when the variable is allowed through, so it can detect it.
    leaky = TestRunOptions(timeout_s=60, env_allow=("PATH", "AWS_SECRET_ACCESS_KEY"))
    leaked = run_tests(tmp_path, leaky)
    assert leaked.outcomes == {"test_suite::test_cannot_see_the_secret": "failed"}


def test_run_tests_environment_is_exactly_the_allow_list_plus_isolation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "fake-secret-value")
    monkeypatch.setenv("LANG", "C.UTF-8")
    dump = tmp_path / "env.json"
    script = (
        "import json, os, sys, tempfile; "
        "json.dump({'env': dict(os.environ), 'tmp': tempfile.gettempdir()}, open(sys.argv[1], 'w'))"
    )
    options = TestRunOptions(
        command=(sys.executable, "-c", script, str(dump)),
        timeout_s=60,
        extra_env={"MAMORI_TEST_FLAG": "1"},
        unsafe_no_sandbox=True,  # writes to the host; the sandboxed variant: test_sandbox.py
    )
    summary = run_tests(tmp_path, options)
    assert summary.exit_code == 0
    seen = json.loads(dump.read_text())
    env = seen["env"]
    assert "AWS_SECRET_ACCESS_KEY" not in env
    assert env["LANG"] == "C.UTF-8"
    assert env["MAMORI_TEST_FLAG"] == "1"
    assert env["PYTHONHASHSEED"] == "0"
    assert env["PYTHONDONTWRITEBYTECODE"] == "1"
    assert env["HOME"] != os.environ.get("HOME")
    assert env["TMPDIR"] == seen["tmp"]
    assert "mamori-tests-" in env["HOME"]
    assert not Path(env["HOME"]).exists()  # the scratch directory is removed afterwards
    allowed = {"PATH", "LANG", "LC_ALL", "TZ", "SYSTEMROOT", "MAMORI_TEST_FLAG"}
    isolation = {"HOME", "TMPDIR", "TEMP", "TMP", "PYTHONHASHSEED", "PYTHONDONTWRITEBYTECODE"}
    # Python itself may add LC_CTYPE when coercing the C locale.
    assert set(env) - allowed - isolation <= {"LC_CTYPE"}
    assert "counts come from the exit code only" in summary.detail


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"  # a zombie is dead, just not reaped


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc to inspect processes")
def test_timeout_kills_the_whole_process_group(tmp_path: Path) -> None:
    pids = tmp_path / "pids"
    script = (
        "import os, subprocess, sys, time\n"
        "child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(120)'])\n"
        f"open({str(pids)!r}, 'w').write(f'{{os.getpid()}} {{child.pid}}')\n"
        "time.sleep(120)\n"
    )
    started = time.monotonic()
    summary = run_tests(
        tmp_path,
        # Writes pids to the host; the sandboxed variant is in test_sandbox.py.
        TestRunOptions(command=(sys.executable, "-c", script), timeout_s=2, unsafe_no_sandbox=True),
    )
    assert time.monotonic() - started < 30
    assert summary.exit_code is None
    assert summary.detail == "timed out after 2 s"
    parent, grandchild = (int(p) for p in pids.read_text().split())
    deadline = time.monotonic() + 10
    while (_alive(parent) or _alive(grandchild)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(parent)
    assert not _alive(grandchild)


def test_command_that_cannot_start(tmp_path: Path) -> None:
    summary = run_tests(tmp_path, TestRunOptions(command=(str(tmp_path / "no-such-binary"),)))
    assert summary.exit_code is None
    assert "could not start" in summary.detail


def test_malformed_junit_falls_back_to_exit_code(tmp_path: Path) -> None:
    script = "import sys; open(sys.argv[1], 'w').write('<testsuite><testcase'); sys.exit(1)"
    options = TestRunOptions(command=(sys.executable, "-c", script, "{junitxml}"), timeout_s=60)
    summary = run_tests(tmp_path, options)
    assert summary.exit_code == 1
    assert "does not parse" in summary.detail
    assert (summary.failed, summary.outcomes) == (1, {})


# --- parse_junit -----------------------------------------------------------------------------

JUNIT = """\
<?xml version="1.0" encoding="utf-8"?>
<testsuites>
  <testsuite name="pytest" errors="1" failures="1" skipped="1" tests="5">
    <testcase classname="tests.test_a" name="test_ok" time="0.1"/>
    <testcase classname="tests.test_a" name="test_fail"><failure message="x"/></testcase>
    <testcase classname="tests.test_a" name="test_skip"><skipped message="why"/></testcase>
    <testcase classname="tests.test_a" name="test_teardown"/>
    <testcase classname="tests.test_a" name="test_teardown"><error message="teardown"/></testcase>
    <testcase classname="" name="tests.test_broken"><error message="collection failure"/></testcase>
    <testcase classname="tests.test_a" name="test_param[1-2]"/>
  </testsuite>
</testsuites>
"""


def test_parse_junit_outcomes(tmp_path: Path) -> None:
    path = tmp_path / "junit.xml"
    path.write_text(JUNIT)
    assert parse_junit(path) == {
        "tests.test_a::test_ok": "passed",
        "tests.test_a::test_fail": "failed",
        "tests.test_a::test_skip": "skipped",
        "tests.test_a::test_teardown": "error",  # the worse of the two reports
        "tests.test_broken": "error",
        "tests.test_a::test_param[1-2]": "passed",
    }


def test_parse_junit_refuses_huge_and_malformed_files(tmp_path: Path) -> None:
    huge = tmp_path / "huge.xml"
    with huge.open("wb") as f:
        f.truncate(MAX_JUNIT_BYTES + 1)
    with pytest.raises(JUnitError, match="too large"):
        parse_junit(huge)
    bad = tmp_path / "bad.xml"
    bad.write_text("<testsuite>")
    with pytest.raises(JUnitError, match="does not parse"):
        parse_junit(bad)


# --- compare_tests ---------------------------------------------------------------------------


def summary(outcomes: dict[str, str], exit_code: int | None = 0, detail: str = "") -> Summary:
    def count(kind: str) -> int:
        return sum(1 for v in outcomes.values() if v == kind)

    return Summary(
        command=("pytest",),
        exit_code=exit_code,
        passed=count("passed"),
        failed=count("failed"),
        errors=count("error"),
        skipped=count("skipped"),
        outcomes=outcomes,
        detail=detail,
    )


def test_compare_accepts_same_or_better() -> None:
    before = summary({"a": "passed", "b": "failed"}, exit_code=1)
    after = summary({"a": "passed", "b": "passed", "c": "passed"})
    ok, detail = compare_tests(before, after)
    assert ok, detail
    still_failing = summary({"a": "passed", "b": "failed"}, exit_code=1)
    assert compare_tests(before, still_failing)[0]  # a failure the patch did not cause


@pytest.mark.parametrize(
    ("after", "expected"),
    [
        ({"a": "failed", "b": "passed"}, "a: passed -> failed"),
        ({"a": "error", "b": "passed"}, "a: passed -> error"),
        ({"b": "passed"}, "a: passed -> missing"),
        ({"a": "passed", "b": "passed", "mod": "error"}, "mod: new test -> error"),
    ],
)
def test_compare_reports_regressions(after: dict[str, str], expected: str) -> None:
    before = summary({"a": "passed", "b": "passed"})
    ok, detail = compare_tests(before, summary(after, exit_code=1))
    assert not ok
    assert expected in detail


def test_compare_rejects_timeouts_and_crashes() -> None:
    before = summary({"a": "passed"})
    ok, detail = compare_tests(before, summary({}, exit_code=None, detail="timed out after 5 s"))
    assert not ok and "timed out after 5 s" in detail
    ok, detail = compare_tests(before, summary({"a": "passed"}, exit_code=3))
    assert not ok and "exit code 3" in detail


def test_compare_without_per_test_outcomes_uses_exit_codes() -> None:
    assert compare_tests(summary({}, exit_code=0), summary({}, exit_code=0))[0]
    assert not compare_tests(summary({}, exit_code=0), summary({}, exit_code=1))[0]
    # Both failing and nothing to tell them apart: not a pass.
    assert not compare_tests(summary({}, exit_code=1), summary({}, exit_code=1))[0]
    # No tests ran at all: nothing was shown to still work.
    assert not compare_tests(summary({}, exit_code=5), summary({}, exit_code=5))[0]
