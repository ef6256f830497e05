"""The four checks a patch must pass before anyone may accept it.

For one patch, in a temporary git worktree of the commit the run scanned:

1. the diff applies (else ``APPLY_FAILED``; nothing else runs);
2. ``PARSES``: every changed Python file parses (LibCST, which knows newer syntax);
3. ``FINDING_GONE``: the engines no longer report the finding's CWE in that file and scope as
   often as before (dependency findings: no finding for that package remains in the manifest);
4. ``NO_NEW_FINDINGS``: the patched files have no finding that was not there before;
5. ``TESTS_SAME``: the project's tests pass as well as they did on the base commit.

The rescan runs on the same worktree before and after the diff is applied, so both sides see
exactly the same snapshot apart from the patch. A check that cannot run is ``NOT_RUN``, which
never counts as passed: the patch is then at best ``UNVERIFIED``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import libcst as cst

from mamori.domain import (
    CheckName,
    CheckResult,
    CheckStatus,
    Finding,
    NotAnalysed,
    Patch,
    RawFinding,
    ScanReport,
    TestSummary,
    Verification,
    VerificationStatus,
)
from mamori.errors import Error
from mamori.fingerprint import cwe_family
from mamori.gitutil import PatchApplyError, apply_diff, changed_files, temporary_worktree
from mamori.verify.tests import (
    TestRunOptions,
    compare_tests,
    describe_environment,
    has_tests,
    run_tests,
)

__all__ = ["Rescan", "VerifyOptions", "run_baseline", "verify_patch"]

# Given a tree root and repository-relative paths, the findings of the engines in those files.
Rescan = Callable[[Path, Sequence[str]], ScanReport]

# (cwe, path, scope, advisory): how findings are matched between the two scans. The advisory id
# is "" for code findings; for dependency findings it tells a bump that trades one advisory for
# another (same CWE, same manifest) from a clean fix.
_Key = tuple[int, str, str, str]

_ORDER = (CheckName.PARSES, CheckName.FINDING_GONE, CheckName.NO_NEW_FINDINGS, CheckName.TESTS_SAME)


@dataclass(frozen=True, kw_only=True)
class VerifyOptions:
    tests: TestRunOptions = field(default_factory=TestRunOptions)
    # Run the tests even when an earlier check already failed (slower; more evidence).
    tests_after_failure: bool = False


def run_baseline(root: Path, base_commit: str, options: TestRunOptions) -> TestSummary | None:
    """Run the tests once on ``base_commit`` (in a worktree); None when there are no tests."""
    with temporary_worktree(root, base_commit) as tree:
        if not has_tests(tree):
            return None
        return run_tests(tree, options)


def _result(name: CheckName, status: CheckStatus, detail: str) -> CheckResult:
    return CheckResult(name=name, status=status, detail=detail)


def _status(checks: Sequence[CheckResult]) -> VerificationStatus:
    by_name = {c.name: c for c in checks}
    failing = (
        (CheckName.PARSES, VerificationStatus.PARSE_FAILED),
        (CheckName.FINDING_GONE, VerificationStatus.STILL_VULNERABLE),
        (CheckName.NO_NEW_FINDINGS, VerificationStatus.NEW_FINDINGS),
        (CheckName.TESTS_SAME, VerificationStatus.TESTS_FAILED),
    )
    for name, status in failing:
        check = by_name.get(name)
        if check is not None and check.status is CheckStatus.FAILED:
            return status
    if len(by_name) < len(CheckName) or any(c.status is not CheckStatus.PASSED for c in checks):
        return VerificationStatus.UNVERIFIED
    return VerificationStatus.VERIFIED


def verify_patch(
    *,
    patch: Patch,
    finding: Finding,
    root: Path,
    base_commit: str,
    baseline_tests: TestSummary | None,
    rescan: Rescan,
    options: VerifyOptions,
) -> Verification:
    """Run the four checks for ``patch`` against ``base_commit`` of the repository at ``root``.

    ``baseline_tests`` is the result of :func:`run_baseline` for the run (None: the project has
    no tests). ``rescan`` errors (:class:`mamori.errors.Error`) make the scan checks NOT_RUN.
    Git failures other than the patch not applying raise :class:`mamori.errors.GitError`.
    """
    environment = describe_environment(options.tests)
    if baseline_tests is None:
        environment += "; no tests in the project"
    files = changed_files(patch.diff) or list(patch.files)
    scan_paths = _scan_paths(files, finding)

    def done(checks: list[CheckResult], after: TestSummary | None = None) -> Verification:
        checks.sort(key=lambda c: _ORDER.index(c.name))
        return Verification(
            patch_id=patch.id,
            status=_status(checks),
            checks=tuple(checks),
            tests_before=baseline_tests,
            tests_after=after,
            environment=environment,
        )

    with temporary_worktree(root, base_commit) as tree:
        before: ScanReport | None = None
        before_error = ""
        try:
            before = rescan(tree, scan_paths)
        except Error as e:
            before_error = f"the rescan before the patch failed: {e.message}"

        try:
            apply_diff(tree, patch.diff)
        except PatchApplyError as e:
            reason = f"not run: {e.message}"
            return Verification(
                patch_id=patch.id,
                status=VerificationStatus.APPLY_FAILED,
                checks=tuple(_result(n, CheckStatus.NOT_RUN, reason) for n in _ORDER),
                tests_before=baseline_tests,
                environment=environment,
            )

        checks = [_parses(tree, files)]
        if checks[0].status is CheckStatus.FAILED:
            reason = "not run: the patched code does not parse"
            checks += [_result(n, CheckStatus.NOT_RUN, reason) for n in _ORDER[1:]]
            return done(checks)

        after: ScanReport | None = None
        after_error = ""
        try:
            after = rescan(tree, scan_paths)
        except Error as e:
            after_error = f"the rescan after the patch failed: {e.message}"

        if before is None or after is None:
            reason = f"not run: {before_error or after_error}"
            checks.append(_result(CheckName.FINDING_GONE, CheckStatus.NOT_RUN, reason))
            checks.append(_result(CheckName.NO_NEW_FINDINGS, CheckStatus.NOT_RUN, reason))
        else:
            checks.append(_finding_gone(finding, before, after))
            checks.append(_no_new_findings(finding, scan_paths, before, after))

        if baseline_tests is None:
            checks.append(
                _result(CheckName.TESTS_SAME, CheckStatus.NOT_RUN, "the project has no tests")
            )
            return done(checks)
        unusable = _unusable_baseline(baseline_tests)
        if unusable:
            checks.append(_result(CheckName.TESTS_SAME, CheckStatus.NOT_RUN, unusable))
            return done(checks)
        if not options.tests_after_failure and any(c.status is CheckStatus.FAILED for c in checks):
            reason = "not run: an earlier check failed"
            checks.append(_result(CheckName.TESTS_SAME, CheckStatus.NOT_RUN, reason))
            return done(checks)
        tests_after = run_tests(tree, options.tests)
        same, detail = compare_tests(baseline_tests, tests_after)
        status = CheckStatus.PASSED if same else CheckStatus.FAILED
        checks.append(_result(CheckName.TESTS_SAME, status, detail))
        return done(checks, tests_after)


def _unusable_baseline(baseline: TestSummary) -> str:
    """Why the baseline cannot tell a regression apart ("" when it can)."""
    if baseline.exit_code is None:
        return f"not run: the baseline test run did not finish ({baseline.detail})"
    if baseline.exit_code == 5:
        return "not run: the project's tests collect nothing on the base commit"
    if baseline.exit_code in (2, 3, 4):
        return f"not run: the baseline test run ended abnormally (exit code {baseline.exit_code})"
    return ""


def _scan_paths(files: Sequence[str], finding: Finding) -> list[str]:
    paths = dict.fromkeys(files)
    paths.setdefault(finding.location.path, None)
    if finding.dependency is not None:
        paths.setdefault(finding.dependency.manifest, None)
    return list(paths)


def _parses(tree: Path, files: Sequence[str]) -> CheckResult:
    problems: list[str] = []
    checked = 0
    for rel in files:
        if not rel.endswith(".py"):
            continue
        path = tree / rel
        if not path.is_file():
            continue  # deleted by the patch
        checked += 1
        try:
            cst.parse_module(path.read_bytes())
        except cst.ParserSyntaxError as e:
            problems.append(f"{rel}:{e.raw_line}:{e.raw_column}: {e.message}")
        except (OSError, UnicodeDecodeError, ValueError) as e:
            problems.append(f"{rel}: {e}")
    if problems:
        return _result(CheckName.PARSES, CheckStatus.FAILED, "; ".join(problems))
    if checked == 0:
        return _result(CheckName.PARSES, CheckStatus.PASSED, "no Python file changed")
    return _result(CheckName.PARSES, CheckStatus.PASSED, f"{checked} Python file(s) parse")


def _blind_spots(report: ScanReport, paths: set[str], engines: set[str] | None) -> list[str]:
    """Not-analysed entries that hide ``paths`` (from ``engines``; None: from any engine)."""
    out: list[str] = []
    for na in report.not_analysed:
        if na.path not in paths and na.path != "":
            continue
        if engines is not None and na.engine is not None and na.engine not in engines:
            continue
        out.append(_describe_na(na))
    return out


def _describe_na(na: NotAnalysed) -> str:
    where = na.path or "all files"
    return f"{where} ({na.engine or 'no engine'}: {na.reason})"


def _finding_gone(finding: Finding, before: ScanReport, after: ScanReport) -> CheckResult:
    name = CheckName.FINDING_GONE
    dep = finding.dependency
    path = dep.manifest if dep is not None else finding.location.path
    engines = {str(e) for e in finding.engines} or None
    hidden = _blind_spots(before, {path}, engines) + _blind_spots(after, {path}, engines)
    if hidden:
        return _result(name, CheckStatus.NOT_RUN, "could not re-analyse: " + "; ".join(hidden))

    def matches(f: RawFinding) -> bool:
        if dep is not None:
            return (
                f.dependency is not None
                and f.dependency.package == dep.package
                and f.dependency.manifest == dep.manifest
            )
        return (
            cwe_family(f.cwe) == cwe_family(finding.cwe)
            and f.location.path == path
            and f.scope == finding.scope
        )

    n_before = sum(1 for f in before.findings if matches(f))
    n_after = sum(1 for f in after.findings if matches(f))
    what = (
        f"findings for {dep.package} in {dep.manifest}"
        if dep is not None
        else f"CWE-{finding.cwe} findings in {path} (scope {finding.scope or '<module>'})"
    )
    if n_before == 0:
        return _result(
            name,
            CheckStatus.NOT_RUN,
            f"the rescan did not reproduce the finding before the patch (0 {what})",
        )
    gone = n_after == 0 if dep is not None else n_after < n_before
    status = CheckStatus.PASSED if gone else CheckStatus.FAILED
    return _result(name, status, f"{n_before} -> {n_after} {what}")


def _key(f: RawFinding) -> _Key:
    if f.dependency is not None:
        return (cwe_family(f.cwe), f.dependency.manifest, f.scope, f.dependency.advisory_id)
    return (cwe_family(f.cwe), f.location.path, f.scope, "")


def _finding_key(finding: Finding) -> _Key:
    dep = finding.dependency
    if dep is not None:
        return (cwe_family(finding.cwe), dep.manifest, finding.scope, dep.advisory_id)
    return (cwe_family(finding.cwe), finding.location.path, finding.scope, "")


def _no_new_findings(
    finding: Finding, paths: Sequence[str], before: ScanReport, after: ScanReport
) -> CheckResult:
    name = CheckName.NO_NEW_FINDINGS
    wanted = set(paths)
    # Strict: a file some engine could not read (before or after) may hide a new finding.
    hidden = sorted(
        set(_blind_spots(before, wanted, None)) | set(_blind_spots(after, wanted, None))
    )
    if hidden:
        return _result(name, CheckStatus.NOT_RUN, "could not re-analyse: " + "; ".join(hidden))

    def keys(report: ScanReport) -> Counter[_Key]:
        return Counter(_key(f) for f in report.findings if _key(f)[1] in wanted)

    new = keys(after) - keys(before)
    new.pop(_finding_key(finding), None)
    if not new:
        return _result(
            name,
            CheckStatus.PASSED,
            f"no new findings in {len(wanted)} file(s) ({len(after.findings)} after, "
            f"{len(before.findings)} before)",
        )
    lines: list[str] = []
    for key, count in sorted(new.items()):
        examples = [f for f in after.findings if _key(f) == key]
        shown = ", ".join(f"{f.rule_id} at {f.location}" for f in examples[:5])
        scope = key[2] or "<module>"
        lines.append(f"{count} new CWE-{key[0]} in {key[1]} (scope {scope}): {shown}")
    return _result(name, CheckStatus.FAILED, "; ".join(lines))
