"""The sandbox in verification: --unsafe-no-sandbox is never approvable; flaky tests re-run."""

from __future__ import annotations

from pathlib import Path

import pytest

from mamori.domain import CheckName, CheckStatus, Finding, Verification, VerificationStatus
from mamori.domain import TestSummary as Summary
from mamori.verify.checks import VerifyOptions, run_baseline, verify_patch
from mamori.verify.tests import TestRunOptions
from tests.verify.verify_support import (
    DB_PY,
    commit_all,
    make_diff,
    make_patch,
    regex_rescan,
)

SAFE_DB_PY = DB_PY.replace(
    """conn.execute("SELECT * FROM users WHERE name = '%s'" % name)""",
    """conn.execute("SELECT * FROM users WHERE name = ?", (name,))""",
)

# Fails on the listed runs, counted per tree ("patched:2" = the second run in a patched tree;
# the patch changes app/db.py), in host files: only possible without the sandbox, which is what
# makes it a controllable flaky test. The re-runs in the two trees happen at the same time.
FLAKY_TEST = """\
import os
from pathlib import Path

def test_flaky():
    patched = "?" in Path("app/db.py").read_text()
    tree = "patched" if patched else "original"
    counter = Path(os.environ["FLAKY_COUNTER"] + "-" + tree)
    n = int(counter.read_text()) + 1 if counter.exists() else 1
    counter.write_text(str(n))
    assert f"{tree}:{n}" not in os.environ["FLAKY_FAIL_ON"].split(",")
"""


def _verify(
    project: tuple[Path, str], finding: Finding, options: VerifyOptions, new_text: str = SAFE_DB_PY
) -> tuple[Summary, Verification]:
    root, base = project
    baseline = run_baseline(root, base, options.tests)
    assert baseline is not None
    v = verify_patch(
        patch=make_patch(make_diff("app/db.py", DB_PY, new_text)),
        finding=finding,
        root=root,
        base_commit=base,
        baseline_tests=baseline,
        rescan=regex_rescan,
        options=options,
    )
    return baseline, v


def test_unsafe_no_sandbox_is_never_approvable(
    project: tuple[Path, str], sql_finding: Finding
) -> None:
    options = VerifyOptions(tests=TestRunOptions(timeout_s=120, unsafe_no_sandbox=True))
    _, v = _verify(project, sql_finding, options)
    assert v.status is VerificationStatus.UNVERIFIED
    tests_same = v.check(CheckName.TESTS_SAME)
    assert tests_same.status is CheckStatus.NOT_RUN
    assert tests_same.detail.startswith("UNSAFE: ran without the sandbox")
    assert "no regressions" in tests_same.detail  # what it would have been
    assert "UNSAFE: no sandbox" in v.environment
    assert not v.all_passed


def _flaky_project(
    project: tuple[Path, str], tmp_path: Path, fail_on: str
) -> tuple[tuple[Path, str], VerifyOptions]:
    """The project with the flaky test committed, and options that drive it."""
    root, _ = project
    (root / "tests" / "test_flaky.py").write_text(FLAKY_TEST)
    base = commit_all(root, "flaky test")
    env = {"FLAKY_COUNTER": str(tmp_path / "counter"), "FLAKY_FAIL_ON": fail_on}
    tests = TestRunOptions(timeout_s=120, unsafe_no_sandbox=True, extra_env=env)
    return (root, base), VerifyOptions(tests=tests)


@pytest.mark.parametrize(
    ("fail_on", "flaky"),
    [
        # The first patched run fails, its re-run passes: flaky, not a regression.
        ("patched:1", True),
        # Fails in both patched runs, passes in both original runs: a regression.
        ("patched:1,patched:2", False),
        # Fails in the original tree's re-run too: unreliable, not caused by the patch.
        ("patched:1,patched:2,original:2", True),
    ],
)
def test_a_failing_test_is_rerun_before_it_counts(
    project: tuple[Path, str], sql_finding: Finding, tmp_path: Path, fail_on: str, flaky: bool
) -> None:
    flaky_project, options = _flaky_project(project, tmp_path, fail_on)
    _, v = _verify(flaky_project, sql_finding, options)
    tests_same = v.check(CheckName.TESTS_SAME)
    # Baseline and re-run in the original tree; the first run and the re-run in the patched one.
    assert (tmp_path / "counter-original").read_text() == "2"
    assert (tmp_path / "counter-patched").read_text() == "2"
    if flaky:
        assert "would be: no regressions" in tests_same.detail
        assert "flaky, not a regression on re-run" in tests_same.detail
        assert "tests.test_flaky::test_flaky: passed -> failed" in tests_same.detail
    else:
        assert "would be: 1 regression(s): tests.test_flaky::test_flaky" in tests_same.detail
        assert "confirmed by re-running" in tests_same.detail


def test_no_rerun_when_disabled(
    project: tuple[Path, str], sql_finding: Finding, tmp_path: Path
) -> None:
    flaky_project, options = _flaky_project(project, tmp_path, "patched:1")
    options = VerifyOptions(tests=options.tests, rerun_regressions=False)
    _, v = _verify(flaky_project, sql_finding, options)
    assert (tmp_path / "counter-patched").read_text() == "1"
    assert (tmp_path / "counter-original").read_text() == "1"
    detail = v.check(CheckName.TESTS_SAME).detail
    assert "would be: 1 regression(s)" in detail
