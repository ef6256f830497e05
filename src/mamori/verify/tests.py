"""Running a project's test suite, and comparing two runs.

The tests of the repository under analysis are untrusted code. They run:

- in the sandbox of :mod:`mamori.verify.sandbox` (bubblewrap as an unprivileged uid, no
  network, read-only system and tree, private ``/tmp``, rlimits), self-tested before first use;
  the JUnit report comes back through the sandbox's output directory and is parsed as
  untrusted input (size-capped, no symlinks, no entity expansion);
- with a scrubbed environment: only allow-listed variables pass from the caller (no tokens,
  keys or cloud credentials), ``HOME`` and ``TMPDIR`` point to a fresh temporary directory;
- in their own process group, killed as a whole (children and grandchildren) on timeout.

``TestRunOptions(unsafe_no_sandbox=True)`` (``mamori run --unsafe-no-sandbox``, development
only) skips the sandbox: file-system and network access are then those of the user running
Mamori, and the verification marks the test check as not run, so nothing is auto-accepted.

Results are read from a JUnit XML report when the command writes one (the default pytest
command does); otherwise only the exit code is known.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import tomllib
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from configparser import ConfigParser
from configparser import Error as ConfigParserError
from dataclasses import dataclass, field
from pathlib import Path

from mamori.config import Config
from mamori.domain import TestSummary
from mamori.verify.sandbox import (
    OUTPUT_DIR,
    SandboxLimits,
    SandboxSpec,
    ensure_sandbox,
    read_untrusted,
    run_sandboxed,
)

__all__ = [
    "EXCLUDED_DIRS",
    "JUNIT_PLACEHOLDER",
    "MAX_JUNIT_BYTES",
    "TestRunOptions",
    "best_of",
    "compare_tests",
    "describe_environment",
    "has_tests",
    "parse_junit",
    "run_tests",
]

# In a custom command, this token is replaced by the path of the JUnit report to write.
JUNIT_PLACEHOLDER = "{junitxml}"
MAX_JUNIT_BYTES = 20 * 1024 * 1024
_OUTPUT_TAIL_CHARS = 2000

EXCLUDED_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        ".mamori",
        ".venv",
        "venv",
        "env",
        ".env",
        ".tox",
        ".nox",
        ".eggs",
        "node_modules",
        "__pycache__",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        "build",
        "dist",
        "site-packages",
    }
)

_PYTEST_EXIT = {
    2: "the test run was interrupted",
    3: "pytest hit an internal error",
    4: "pytest was called incorrectly (usage error)",
    5: "no tests were collected",
}

# Outcome ranks: when a test id appears twice (call and teardown), the worse one counts.
_RANK = {"passed": 0, "skipped": 1, "failed": 2, "error": 3}


@dataclass(frozen=True, kw_only=True)
class TestRunOptions:
    """How to run a project's tests.

    ``command`` None runs pytest with the interpreter Mamori runs on. A custom command may
    contain ``{junitxml}``, replaced by the path of the JUnit report it should write.
    """

    __test__ = False  # not a pytest test class, despite the name

    command: tuple[str, ...] | None = None
    timeout_s: float = 600.0
    env_allow: tuple[str, ...] = ("PATH", "LANG", "LC_ALL", "TZ", "SYSTEMROOT")
    extra_env: Mapping[str, str] = field(default_factory=dict)
    # Development only: run without the sandbox. Results are then never approvable.
    unsafe_no_sandbox: bool = False
    limits: SandboxLimits = field(default_factory=SandboxLimits)

    @classmethod
    def from_config(cls, config: Config) -> TestRunOptions:
        """The ``[verify]`` settings of ``mamori.toml``."""
        return cls(command=config.test_command, timeout_s=config.test_timeout_s)


def default_command(junit: Path) -> tuple[str, ...]:
    return (
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        f"--junitxml={junit}",
    )


def describe_environment(options: TestRunOptions) -> str:
    """How tests run, for :attr:`mamori.domain.Verification.environment`: the sandbox kind and
    the digest of its self-test (the self-test runs here if it has not yet).

    Raises :class:`mamori.verify.sandbox.SandboxUnavailableError` when the sandbox is needed
    and does not hold.
    """
    allow = ", ".join(options.env_allow) or "nothing"
    base = (
        f"git worktree; timeout {options.timeout_s:g}s; scrubbed env (passed: {allow}); "
        "fresh HOME and TMPDIR; own process group"
    )
    if options.unsafe_no_sandbox:
        return f"{base}; UNSAFE: no sandbox (--unsafe-no-sandbox), results not approvable"
    return f"{base}; {ensure_sandbox().describe()}"


# --- discovering tests -----------------------------------------------------------------------


def _is_test_file(name: str) -> bool:
    return name.endswith(".py") and (name.startswith("test_") or name.endswith("_test.py"))


def _has_python(path: Path) -> bool:
    if path.is_file():
        return path.suffix == ".py"
    if not path.is_dir():
        return False
    for _dirpath, dirnames, filenames in os.walk(path):
        dirnames[:] = [d for d in dirnames if d not in EXCLUDED_DIRS]
        if any(f.endswith(".py") for f in filenames):
            return True
    return False


def _configured_testpaths(root: Path) -> list[str]:
    """``testpaths`` from the pytest configuration file pytest itself would use."""
    ini = _ini_testpaths(root / "pytest.ini", "pytest", always=True)
    if ini is not None:
        return ini
    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        try:
            data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            data = {}  # pytest would fail on it too; it configures nothing here
        opts = data.get("tool", {}).get("pytest", {}).get("ini_options")
        if isinstance(opts, dict):
            value = opts.get("testpaths", [])
            return value.split() if isinstance(value, str) else [str(v) for v in value]
    for name, section in (("tox.ini", "pytest"), ("setup.cfg", "tool:pytest")):
        paths = _ini_testpaths(root / name, section)
        if paths is not None:
            return paths
    return []


def _ini_testpaths(path: Path, section: str, *, always: bool = False) -> list[str] | None:
    """testpaths from an ini file; None when the file does not configure pytest.

    ``always``: the file configures pytest even without the section (pytest.ini does).
    """
    if not path.is_file():
        return None
    parser = ConfigParser(interpolation=None)
    try:
        parser.read_string(path.read_text(encoding="utf-8", errors="replace"))
    except ConfigParserError:
        return [] if always else None
    if not parser.has_section(section):
        return [] if always else None
    return parser.get(section, "testpaths", fallback="").split()


def has_tests(root: Path) -> bool:
    """Whether ``root`` has tests pytest would find.

    True when there is a ``tests``/``test`` directory with Python files, a ``test_*.py`` or
    ``*_test.py`` file outside excluded directories (virtualenvs, build output, VCS data), or a
    pytest ``testpaths`` setting naming existing paths that contain Python files.
    """
    root_resolved = root.resolve()
    for entry in _configured_testpaths(root):
        candidate = (root / entry).resolve()
        if candidate.is_relative_to(root_resolved) and _has_python(candidate):
            return True
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d not in EXCLUDED_DIRS]
        if any(_is_test_file(f) for f in filenames):
            return True
        in_test_dir = Path(dirpath).name in ("tests", "test") and Path(dirpath) != root
        if in_test_dir and any(f.endswith(".py") for f in filenames):
            return True
    return False


# --- running tests ---------------------------------------------------------------------------


def _scrubbed_env(options: TestRunOptions, home: Path, tmp: Path) -> dict[str, str]:
    env = {k: os.environ[k] for k in options.env_allow if k in os.environ}
    env.setdefault("PATH", os.defpath)
    env.update(
        {
            "HOME": str(home),
            "TMPDIR": str(tmp),
            "TEMP": str(tmp),
            "TMP": str(tmp),
            "PYTHONDONTWRITEBYTECODE": "1",
            "PYTHONHASHSEED": "0",
        }
    )
    env.update(options.extra_env)
    return env


def _kill_group(pgid: int) -> None:
    # The group outlives its leader when a test left children behind; that they are all gone
    # already is the ordinary case, not an error.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGKILL)


def _tail(path: Path) -> str:
    try:
        with path.open("rb") as f:
            f.seek(0, os.SEEK_END)
            size = f.tell()
            f.seek(max(0, size - _OUTPUT_TAIL_CHARS))
            return f.read().decode("utf-8", errors="replace").strip()
    except OSError:
        return ""


def run_tests(root: Path, options: TestRunOptions) -> TestSummary:
    """Run the test command in ``root`` and summarise the outcome.

    Never raises for a failing or hanging suite: a timeout gives ``exit_code=None`` and a
    detail "timed out after N s"; a command that cannot start gives ``exit_code=None`` too.
    Unless ``options.unsafe_no_sandbox``, the command runs in the sandbox; raises
    :class:`mamori.verify.sandbox.SandboxUnavailableError` when the sandbox is missing or fails
    its self-test.
    """
    if not options.unsafe_no_sandbox:
        return _run_sandboxed(root, options)
    scratch = Path(tempfile.mkdtemp(prefix="mamori-tests-"))
    try:
        home, tmp = scratch / "home", scratch / "tmp"
        home.mkdir()
        tmp.mkdir()
        junit = scratch / "junit.xml"
        if options.command is None:
            command = default_command(junit)
        else:
            command = tuple(a.replace(JUNIT_PLACEHOLDER, str(junit)) for a in options.command)
        return _run(
            root,
            command=command,
            junit=junit,
            output=scratch / "output.txt",
            options=options,
            home=home,
            tmp=tmp,
        )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _run(
    root: Path,
    *,
    command: tuple[str, ...],
    junit: Path,
    output: Path,
    options: TestRunOptions,
    home: Path,
    tmp: Path,
) -> TestSummary:
    env = _scrubbed_env(options, home, tmp)
    started = time.monotonic()
    with output.open("wb") as out:
        try:
            proc = subprocess.Popen(
                command,
                cwd=root,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        except OSError as e:
            return TestSummary(
                command=command,
                exit_code=None,
                passed=0,
                failed=0,
                errors=0,
                skipped=0,
                detail=f"the test command could not start: {e}",
            )
        try:
            code: int | None = proc.wait(timeout=options.timeout_s)
        except subprocess.TimeoutExpired:
            _kill_group(proc.pid)
            proc.wait()
            code = None
        finally:
            # Reap anything the suite left running (servers, daemons) in its process group.
            _kill_group(proc.pid)
    duration = time.monotonic() - started
    if code is None:
        return TestSummary(
            command=command,
            exit_code=None,
            passed=0,
            failed=0,
            errors=0,
            skipped=0,
            duration_s=duration,
            detail=f"timed out after {options.timeout_s:g} s",
        )
    return _summarise(command, code, junit, output, duration)


def _run_sandboxed(root: Path, options: TestRunOptions) -> TestSummary:
    ensure_sandbox()
    junit_inside = f"{OUTPUT_DIR}/junit.xml"
    if options.command is None:
        command = default_command(Path(junit_inside))
    else:
        command = tuple(a.replace(JUNIT_PLACEHOLDER, junit_inside) for a in options.command)
    if command and os.path.isabs(command[0]) and not os.path.exists(command[0]):
        return TestSummary(
            command=command,
            exit_code=None,
            passed=0,
            failed=0,
            errors=0,
            skipped=0,
            detail=f"the test command could not start: {command[0]} does not exist",
        )
    scratch = Path(tempfile.mkdtemp(prefix="mamori-tests-"))
    try:
        output = scratch / "out"
        output.mkdir()
        log = scratch / "output.txt"
        # HOME and TMPDIR are the sandbox's private tmpfs /tmp, fresh for every run.
        env = _scrubbed_env(options, Path("/tmp"), Path("/tmp"))
        env["PATH"] = f"{Path(sys.prefix) / 'bin'}:/usr/local/bin:/usr/bin:/bin"
        env.update(options.extra_env)
        spec = SandboxSpec(
            command=command,
            workdir=root,
            env=env,
            timeout_s=options.timeout_s,
            limits=options.limits,
        )
        run = run_sandboxed(spec, output=output, log=log)
        if run.exit_code is None:
            return TestSummary(
                command=command,
                exit_code=None,
                passed=0,
                failed=0,
                errors=0,
                skipped=0,
                duration_s=run.duration_s,
                detail=f"timed out after {options.timeout_s:g} s",
            )
        return _summarise(command, run.exit_code, output / "junit.xml", log, run.duration_s)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _summarise(
    command: tuple[str, ...], code: int, junit: Path, output: Path, duration: float
) -> TestSummary:
    notes: list[str] = []
    outcomes: dict[str, str] | None = None
    if junit.exists() or junit.is_symlink():
        try:
            outcomes = parse_junit(junit)
        except JUnitError as e:
            notes.append(str(e))
    else:
        notes.append("no JUnit report was written")
    if outcomes is not None:
        counts = {k: sum(1 for v in outcomes.values() if v == k) for k in _RANK}
    else:
        # Without a report, the exit code is all we know: 1 means "some test failed".
        counts = dict.fromkeys(_RANK, 0)
        if code == 1:
            counts["failed"] = 1
        elif code not in (0, 5):
            counts["error"] = 1
        notes.append("counts come from the exit code only")
    if code in _PYTEST_EXIT:
        notes.insert(0, f"{_PYTEST_EXIT[code]} (exit code {code})")
    if code != 0:
        tail = _tail(output)
        if tail:
            notes.append(f"output (end):\n{tail}")
    return TestSummary(
        command=command,
        exit_code=code,
        passed=counts["passed"],
        failed=counts["failed"],
        errors=counts["error"],
        skipped=counts["skipped"],
        outcomes=outcomes or {},
        duration_s=duration,
        detail="; ".join(notes),
    )


class JUnitError(ValueError):
    """A JUnit report that cannot be used (too large or malformed)."""


def parse_junit(path: Path) -> dict[str, str]:
    """Test id (``classname::name``) -> passed/failed/error/skipped, from a JUnit XML report.

    Raises :class:`JUnitError` for reports over 20 MB or that do not parse.
    """
    try:
        # Written by code under test: a symlink to a host file or a huge file is refused.
        data = read_untrusted(path, MAX_JUNIT_BYTES)
    except OSError as e:
        raise JUnitError(f"the JUnit report cannot be read: {e}") from e
    except ValueError as e:
        raise JUnitError(f"the JUnit report is unusable: {e}") from e
    try:
        # expat (bundled with Python >= 3.11.4 at 2.5+) refuses entity expansion attacks and
        # never fetches external entities.
        root = ET.fromstring(data)
    except ET.ParseError as e:
        raise JUnitError(f"the JUnit report does not parse: {e}") from e
    outcomes: dict[str, str] = {}
    for case in root.iter("testcase"):
        classname = case.get("classname", "")
        name = case.get("name", "")
        test_id = f"{classname}::{name}" if classname else name
        outcome = "passed"
        for child in case:
            tag = {"failure": "failed", "error": "error", "skipped": "skipped"}.get(child.tag)
            if tag and _RANK[tag] > _RANK[outcome]:
                outcome = tag
        previous = outcomes.get(test_id)
        if previous is None or _RANK[outcome] > _RANK[previous]:
            outcomes[test_id] = outcome
    return outcomes


# --- comparing runs --------------------------------------------------------------------------


def compare_tests(before: TestSummary, after: TestSummary) -> tuple[bool, str]:
    """Whether ``after`` keeps every test that passed in ``before`` passing.

    False when the after run timed out, crashed (pytest exit 2-4), or when a test that passed
    before fails, errors or disappears after (a collection error makes tests disappear), or a
    test that did not exist before fails or errors. Tests already failing before may still fail.
    """
    if after.exit_code is None:
        return False, f"the tests did not finish after the patch: {after.detail}"
    if after.exit_code in (2, 3, 4):
        return False, (
            f"the test run after the patch ended abnormally (exit code {after.exit_code}): "
            f"{_first_line(after.detail)}"
        )
    if before.exit_code is None:
        return False, f"the baseline test run did not finish: {before.detail}"
    if not before.outcomes or not after.outcomes:
        return _compare_exit_codes(before, after)
    bad = {"failed", "error"}
    regressions: list[str] = []
    for test_id, was in sorted(before.outcomes.items()):
        now = after.outcomes.get(test_id)
        if was == "passed" and now is None:
            regressions.append(f"{test_id}: passed -> missing")
        elif was == "passed" and now in bad:
            regressions.append(f"{test_id}: passed -> {now}")
    for test_id, now in sorted(after.outcomes.items()):
        if test_id not in before.outcomes and now in bad:
            regressions.append(f"{test_id}: new test -> {now}")
    if regressions:
        shown = regressions[:20]
        more = f" (and {len(regressions) - 20} more)" if len(regressions) > 20 else ""
        return False, f"{len(regressions)} regression(s): " + "; ".join(shown) + more
    return True, (
        f"no regressions: {after.passed} passed, {after.failed} failed, {after.errors} errors, "
        f"{after.skipped} skipped (before: {before.passed} passed, {before.failed} failed, "
        f"{before.errors} errors)"
    )


def best_of(runs: list[TestSummary], *, worst: bool = False) -> TestSummary:
    """One summary of several runs of the same suite: each test counts with its best outcome
    (a test that passed once can pass), or with ``worst`` its worst one (a test that failed
    once is unreliable). Runs without a per-test report are ignored; the first run is returned
    as is when none has one."""
    reported = [r for r in runs if r.outcomes and r.exit_code not in (None, 2, 3, 4)]
    if not reported:
        return runs[0]
    merged: dict[str, str] = {}
    for r in reported:
        for test_id, outcome in r.outcomes.items():
            previous = merged.get(test_id)
            rank, was = _RANK[outcome], _RANK[previous] if previous else None
            if was is None or (rank > was if worst else rank < was):
                merged[test_id] = outcome
    counts = {k: sum(1 for v in merged.values() if v == k) for k in _RANK}
    first = reported[0]
    exit_code = 0 if counts["failed"] == counts["error"] == 0 else (first.exit_code or 1)
    return dataclasses.replace(
        first,
        exit_code=exit_code,
        outcomes=merged,
        passed=counts["passed"],
        failed=counts["failed"],
        errors=counts["error"],
        skipped=counts["skipped"],
        detail=f"best outcome of {len(reported)} runs",
    )


def _compare_exit_codes(before: TestSummary, after: TestSummary) -> tuple[bool, str]:
    if after.ok:
        return True, "the tests pass after the patch (exit code 0; no per-test report)"
    if before.ok:
        return False, f"the tests passed before the patch and fail after (exit {after.exit_code})"
    if before.exit_code == after.exit_code == 5:
        return False, "no tests were collected before or after the patch: nothing to compare"
    # Both runs fail and there is no per-test report: a new failure cannot be told apart from
    # the old ones, so this does not count as passing.
    return False, (
        "the tests failed before and after the patch and no per-test report is available to "
        "tell whether the patch broke more"
    )


def _first_line(text: str) -> str:
    return text.splitlines()[0] if text else ""
