"""mamori.verify.checks: every verification status, with real git and real pytest runs.

The rescan is a regex fake (verify_support.regex_rescan); what is under test is how the checks
use it: the worktrees, the before/after comparison, the tests and the resulting status.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from mamori.domain import (
    CheckName,
    CheckStatus,
    EngineId,
    Finding,
    NotAnalysed,
    ScanReport,
    Verification,
    VerificationStatus,
)
from mamori.domain import TestSummary as Summary
from mamori.scan.interface import ScanError
from mamori.verify.checks import Rescan, VerifyOptions, run_baseline, verify_patch
from mamori.verify.tests import TestRunOptions
from tests.verify.verify_support import (
    DB_PY,
    TEST_APP_PY,
    commit_all,
    git,
    make_diff,
    make_patch,
    make_project,
    regex_rescan,
    to_finding,
)

OPTIONS = VerifyOptions(tests=TestRunOptions(timeout_s=120))
SAFE_DB_PY = DB_PY.replace(
    """conn.execute("SELECT * FROM users WHERE name = '%s'" % name)""",
    """conn.execute("SELECT * FROM users WHERE name = ?", (name,))""",
)


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> Summary:
    """The baseline of the tiny project (identical in every test's copy), run once."""
    root = tmp_path_factory.mktemp("baseline") / "project"
    base = make_project(root)
    summary = run_baseline(root, base, OPTIONS.tests)
    assert summary is not None
    return summary


def verify(
    project: tuple[Path, str],
    finding: Finding,
    new_text: str,
    baseline: Summary | None,
    rescan: Rescan = regex_rescan,
    options: VerifyOptions = OPTIONS,
) -> Verification:
    root, base = project
    patch = make_patch(make_diff("app/db.py", DB_PY, new_text))
    return verify_patch(
        patch=patch,
        finding=finding,
        root=root,
        base_commit=base,
        baseline_tests=baseline,
        rescan=rescan,
        options=options,
    )


def statuses(v: Verification) -> dict[CheckName, CheckStatus]:
    return {c.name: c.status for c in v.checks}


def test_baseline_runs_the_project_tests(baseline: Summary) -> None:
    assert baseline.ok
    assert baseline.outcomes == {
        "tests.test_app::test_add": "passed",
        "tests.test_app::test_find_user": "passed",
    }


def test_verified(project: tuple[Path, str], sql_finding: Finding, baseline: Summary) -> None:
    root, base = project
    v = verify(project, sql_finding, SAFE_DB_PY, baseline)
    assert v.status is VerificationStatus.VERIFIED, v.checks
    assert v.all_passed
    assert [c.name for c in v.checks] == [
        CheckName.PARSES,
        CheckName.FINDING_GONE,
        CheckName.NO_NEW_FINDINGS,
        CheckName.TESTS_SAME,
    ]
    gone = v.check(CheckName.FINDING_GONE)
    assert gone is not None and gone.detail.startswith("1 -> 0 CWE-89 findings in app/db.py")
    assert v.tests_before is baseline
    assert v.tests_after is not None and v.tests_after.ok
    assert "sandbox bubblewrap" in v.environment and "timeout 120s" in v.environment
    # The user's tree and the repository's worktrees are as they were.
    assert (root / "app" / "db.py").read_text() == DB_PY
    assert git(root, "status", "--porcelain") == ""
    assert git(root, "worktree", "list").count("\n") == 0
    assert git(root, "rev-parse", "HEAD") == base


def test_apply_failed(project: tuple[Path, str], sql_finding: Finding) -> None:
    root, base = project
    bad = make_diff("app/db.py", DB_PY.replace("a + b", "a - b"), "whatever\n")
    v = verify_patch(
        patch=make_patch(bad),
        finding=sql_finding,
        root=root,
        base_commit=base,
        baseline_tests=None,
        rescan=regex_rescan,
        options=OPTIONS,
    )
    assert v.status is VerificationStatus.APPLY_FAILED
    assert set(statuses(v).values()) == {CheckStatus.NOT_RUN}
    assert all("does not apply" in c.detail for c in v.checks)


def test_parse_failed(project: tuple[Path, str], sql_finding: Finding) -> None:
    broken = SAFE_DB_PY.replace("def add(a, b):", "def add(a, b)")
    v = verify(project, sql_finding, broken, None)
    assert v.status is VerificationStatus.PARSE_FAILED
    parses = v.check(CheckName.PARSES)
    assert parses is not None and parses.status is CheckStatus.FAILED
    assert parses.detail.startswith("app/db.py:9:") and "expected" in parses.detail
    assert statuses(v)[CheckName.FINDING_GONE] is CheckStatus.NOT_RUN


def test_still_vulnerable(
    project: tuple[Path, str], sql_finding: Finding, baseline: Summary
) -> None:
    cosmetic = DB_PY.replace("def find_user(conn, name):", "def find_user(conn, name):  # hm")
    v = verify(project, sql_finding, cosmetic, baseline)
    assert v.status is VerificationStatus.STILL_VULNERABLE
    gone = v.check(CheckName.FINDING_GONE)
    assert gone is not None and gone.detail.startswith("1 -> 1 ")
    # The tests are skipped once a check failed (unless asked for), which saves a run.
    assert statuses(v)[CheckName.TESTS_SAME] is CheckStatus.NOT_RUN
    assert v.tests_after is None


def test_new_findings(project: tuple[Path, str], sql_finding: Finding, baseline: Summary) -> None:
    worse = SAFE_DB_PY.replace("return a + b", "return eval(f'{a} + {b}')")
    v = verify(project, sql_finding, worse, baseline)
    assert v.status is VerificationStatus.NEW_FINDINGS
    new = v.check(CheckName.NO_NEW_FINDINGS)
    assert new is not None and new.status is CheckStatus.FAILED
    assert "CWE-95 in app/db.py (scope add)" in new.detail
    assert "fake:eval at app/db.py:9" in new.detail
    assert statuses(v)[CheckName.FINDING_GONE] is CheckStatus.PASSED


def test_tests_failed(project: tuple[Path, str], sql_finding: Finding, baseline: Summary) -> None:
    breaks_add = SAFE_DB_PY.replace("return a + b", "return a - b")
    v = verify(project, sql_finding, breaks_add, baseline)
    assert v.status is VerificationStatus.TESTS_FAILED
    tests = v.check(CheckName.TESTS_SAME)
    assert tests is not None and "tests.test_app::test_add: passed -> failed" in tests.detail
    assert v.tests_after is not None and v.tests_after.failed == 1


def test_tests_after_failure_option_runs_them_anyway(
    project: tuple[Path, str], sql_finding: Finding, baseline: Summary
) -> None:
    options = VerifyOptions(tests=OPTIONS.tests, tests_after_failure=True)
    v = verify(project, sql_finding, DB_PY + "\n", baseline, options=options)
    assert v.status is VerificationStatus.STILL_VULNERABLE
    assert statuses(v)[CheckName.TESTS_SAME] is CheckStatus.PASSED


def test_unverified_without_tests(tmp_path: Path) -> None:
    root = tmp_path / "notests"
    base = make_project(root, with_tests=False)
    assert run_baseline(root, base, OPTIONS.tests) is None
    (raw,) = regex_rescan(root, ["app/db.py"]).findings
    v = verify((root, base), to_finding(raw), SAFE_DB_PY, None)
    assert v.status is VerificationStatus.UNVERIFIED
    tests = v.check(CheckName.TESTS_SAME)
    assert tests is not None
    assert (tests.status, tests.detail) == (CheckStatus.NOT_RUN, "the project has no tests")
    assert statuses(v)[CheckName.FINDING_GONE] is CheckStatus.PASSED
    assert not v.all_passed


def test_rescan_error_makes_scan_checks_not_run(
    project: tuple[Path, str], sql_finding: Finding
) -> None:
    def failing(root: Path, paths: Sequence[str]) -> ScanReport:
        raise ScanError("engine exploded")

    v = verify(project, sql_finding, SAFE_DB_PY, None, rescan=failing)
    assert v.status is VerificationStatus.UNVERIFIED
    gone = v.check(CheckName.FINDING_GONE)
    assert gone is not None and gone.status is CheckStatus.NOT_RUN
    assert "engine exploded" in gone.detail


def test_file_the_engine_cannot_read_is_not_reported_as_fixed(
    project: tuple[Path, str], sql_finding: Finding
) -> None:
    def blind_after(root: Path, paths: Sequence[str]) -> ScanReport:
        report = regex_rescan(root, paths)
        if "safe" not in (root / "app" / "db.py").read_text():
            return report
        # After the patch the engine "cannot read" the file: no findings, but not clean either.
        na = NotAnalysed(path="app/db.py", engine=EngineId("fake"), reason="too large")
        return ScanReport(findings=(), not_analysed=(na,), engines=report.engines, files_scanned=1)

    v = verify(project, sql_finding, SAFE_DB_PY + "# safe\n", None, rescan=blind_after)
    assert statuses(v)[CheckName.FINDING_GONE] is CheckStatus.NOT_RUN
    assert statuses(v)[CheckName.NO_NEW_FINDINGS] is CheckStatus.NOT_RUN
    assert v.status is VerificationStatus.UNVERIFIED


def test_finding_not_reproduced_by_rescan_is_not_run(
    project: tuple[Path, str], sql_finding: Finding
) -> None:
    from dataclasses import replace

    elsewhere = replace(sql_finding, scope="other_function")
    v = verify(project, elsewhere, SAFE_DB_PY, None)
    gone = v.check(CheckName.FINDING_GONE)
    assert gone is not None and gone.status is CheckStatus.NOT_RUN
    assert "did not reproduce" in gone.detail


def test_dependency_finding_gone_after_bump(tmp_path: Path) -> None:
    root = tmp_path / "deps"
    make_project(root, with_tests=False)
    (root / "requirements.txt").write_text("requests==2.0.0\nflask==3.0.0\n")
    base = commit_all(root, "pin")
    (raw,) = regex_rescan(root, ["requirements.txt"]).findings
    finding = to_finding(raw)
    old = (root / "requirements.txt").read_text()

    def check(new: str) -> Verification:
        diff = make_diff("requirements.txt", old, new)
        return verify_patch(
            patch=make_patch(diff, files=("requirements.txt",)),
            finding=finding,
            root=root,
            base_commit=base,
            baseline_tests=None,
            rescan=regex_rescan,
            options=OPTIONS,
        )

    fixed = check("requests==2.31.0\nflask==3.0.0\n")
    assert statuses(fixed)[CheckName.FINDING_GONE] is CheckStatus.PASSED
    assert statuses(fixed)[CheckName.NO_NEW_FINDINGS] is CheckStatus.PASSED
    assert statuses(fixed)[CheckName.PARSES] is CheckStatus.PASSED
    unchanged = check("requests==2.0.0\nflask==3.0.1\n")
    assert unchanged.status is VerificationStatus.STILL_VULNERABLE


def test_test_app_fixture_matches_module() -> None:
    # Guards the fixture itself: the vulnerable line is where the tests above expect it.
    assert "'%s'\" % name" in DB_PY.splitlines()[4]
    assert "find_user" in TEST_APP_PY


def test_unusable_baseline_makes_tests_not_run(
    project: tuple[Path, str], sql_finding: Finding, baseline: Summary
) -> None:
    from dataclasses import replace

    timed_out = replace(baseline, exit_code=None, outcomes={}, detail="timed out after 5 s")
    v = verify(project, sql_finding, SAFE_DB_PY, timed_out)
    tests = v.check(CheckName.TESTS_SAME)
    assert tests is not None and tests.status is CheckStatus.NOT_RUN
    assert "did not finish" in tests.detail
    assert v.status is VerificationStatus.UNVERIFIED
    empty = replace(baseline, exit_code=5, outcomes={}, passed=0)
    v = verify(project, sql_finding, SAFE_DB_PY, empty)
    assert v.status is VerificationStatus.UNVERIFIED
