"""The four checks a patch must pass before anyone may accept it.

For one patch, in a temporary git worktree of the commit the run scanned:

1. the diff applies (else ``APPLY_FAILED``; nothing else runs);
2. ``PARSES``: every changed Python file parses (LibCST, which knows newer syntax) and imports
   (each changed module is imported in a subprocess in the worktree, in the sandbox like the
   tests; a module that failed to import before the patch too is not held against it);
3. ``FINDING_GONE``: every engine that reported the finding's CWE in that file and scope before
   the patch (the engine that found it and any independent engine covering the CWE) reports it
   less often after (dependency findings: no finding for that package remains in the
   manifest); the detail names the engines that confirmed it;
4. ``NO_NEW_FINDINGS``: the patched files have no finding that was not there before;
5. ``TESTS_SAME``: the project's tests pass as well as they did on the base commit.

The rescan runs on the same worktree before and after the diff is applied, so both sides see
exactly the same snapshot apart from the patch. A check that cannot run is ``NOT_RUN``, which
never counts as passed: the patch is then at best ``UNVERIFIED``.
"""

from __future__ import annotations

import dataclasses
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
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
    best_of,
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
    # A test that fails after the patch is re-run in the patched and the original tree before
    # it counts as a regression (flaky tests).
    rerun_regressions: bool = True
    # Import the changed modules (before and after the patch) as part of PARSES.
    check_imports: bool = True
    import_timeout_s: float = 60.0


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

        modules = _modules(tree, files) if options.check_imports else []
        imports_before = _import_modules(tree, modules, options) if modules else None

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
        if checks[0].status is CheckStatus.PASSED and modules:
            after_imports = _import_modules(tree, modules, options)
            checks[0] = _with_imports(checks[0], modules, imports_before, after_imports)
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
        if not same and options.rerun_regressions and tests_after.outcomes:
            same, detail = _rerun(tree, root, base_commit, baseline_tests, tests_after, options)
        status = CheckStatus.PASSED if same else CheckStatus.FAILED
        if options.tests.unsafe_no_sandbox:
            # Tests outside the sandbox prove nothing the gate may rely on: never approvable.
            status = CheckStatus.NOT_RUN
            detail = f"UNSAFE: ran without the sandbox (--unsafe-no-sandbox); would be: {detail}"
        checks.append(_result(CheckName.TESTS_SAME, status, detail))
        return done(checks, tests_after)


def _rerun(
    tree: Path,
    root: Path,
    base_commit: str,
    baseline: TestSummary,
    after: TestSummary,
    options: VerifyOptions,
) -> tuple[bool, str]:
    """Re-run the suite in the patched tree and in the original tree before a failing test
    counts as a regression: it must fail in both patched runs and pass in both original runs.
    Tests that flip are reported as flaky."""
    # Both re-runs at once, each in its own sandbox: the suite's wall time, not twice it.
    with ThreadPoolExecutor(max_workers=2) as pool:
        again_job = pool.submit(run_tests, tree, options.tests)
        original_job = pool.submit(run_baseline, root, base_commit, options.tests)
        again, original = again_job.result(), original_job.result()
    before_runs = [baseline] + ([original] if original is not None else [])
    same, detail = compare_tests(best_of(before_runs, worst=True), best_of([after, again]))
    _, first = compare_tests(baseline, after)
    if same:
        return True, f"{detail}; flaky, not a regression on re-run (first run: {first})"
    return False, f"{detail} (confirmed by re-running the patched and the original tree)"


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


# Imports each module named on the command line and writes a JUnit report (one test case per
# module) to argv[1], so that the sandboxed test runner can carry the per-module outcome.
_IMPORT_SCRIPT = """
import importlib, os, sys, traceback
from xml.sax.saxutils import quoteattr
out, mods = sys.argv[1], sys.argv[2:]
for p in (os.path.join(os.getcwd(), "src"), os.getcwd()):
    if os.path.isdir(p):
        sys.path.insert(0, p)
cases, failed = [], 0
for m in mods:
    try:
        importlib.import_module(m)
        cases.append('<testcase classname="import" name=%s/>' % quoteattr(m))
    except (ImportError, SyntaxError, NameError, AttributeError, TypeError) as e:
        failed += 1
        msg = "%s: %s" % (type(e).__name__, e)
        print("IMPORT FAILED %s: %s" % (m, msg))
        cases.append('<testcase classname="import" name=%s><failure message=%s/></testcase>'
                     % (quoteattr(m), quoteattr(msg[:500])))
    except BaseException as e:
        # Raised on purpose at import (a required setting missing): the code is not broken;
        # the tests, which run with the project's own set-up, judge the behaviour.
        msg = "%s: %s" % (type(e).__name__, e)
        print("IMPORT RAISED %s: %s" % (m, msg))
        cases.append('<testcase classname="import" name=%s><skipped message=%s/></testcase>'
                     % (quoteattr(m), quoteattr(msg[:500])))
with open(out, "w") as fh:
    fh.write("<testsuite>%s</testsuite>" % "".join(cases))
sys.exit(1 if failed else 0)
"""


def _modules(tree: Path, files: Sequence[str]) -> list[str]:
    """Dotted module names of the changed Python files that can be imported by name (test
    files and scripts outside a package layout are left to the test run)."""
    src = (tree / "src").is_dir()
    out: list[str] = []
    for rel in files:
        if not rel.endswith(".py") or not (tree / rel).is_file():
            continue
        parts = rel[:-3].split("/")
        if src and parts[0] == "src":
            parts = parts[1:]
        if parts and parts[-1] == "__init__":
            parts = parts[:-1]
        if not parts or not all(p.isidentifier() for p in parts):
            continue
        if (
            parts[0] in {"tests", "test"}
            or parts[-1].startswith("test_")
            or parts[-1]
            in {
                "conftest",
                "setup",
            }
        ):
            continue
        out.append(".".join(parts))
    return out


def _import_modules(tree: Path, modules: Sequence[str], options: VerifyOptions) -> TestSummary:
    tests = dataclasses.replace(
        options.tests,
        command=(sys.executable, "-c", _IMPORT_SCRIPT, "{junitxml}", *modules),
        timeout_s=min(options.import_timeout_s, options.tests.timeout_s),
    )
    return run_tests(tree, tests)


def _import_outcomes(run: TestSummary | None, modules: Sequence[str]) -> dict[str, str]:
    if run is None:
        return {}
    if run.outcomes:
        return {k.removeprefix("import::"): v for k, v in run.outcomes.items()}
    # No report (timed out, crashed): every module counts as failed to import.
    return dict.fromkeys(modules, "error")


def _with_imports(
    parses: CheckResult,
    modules: Sequence[str],
    before: TestSummary | None,
    after: TestSummary,
) -> CheckResult:
    """PARSES extended with the import check: a module that imported before the patch (or
    whose state before is unknown) must import after it."""
    was = _import_outcomes(before, modules)
    now = _import_outcomes(after, modules)
    ok = {"passed", "skipped"}  # skipped: raised on purpose at import (see _IMPORT_SCRIPT)
    broken = [m for m in modules if now.get(m) not in ok and was.get(m) != now.get(m)]
    already = [m for m in modules if now.get(m) not in ok and m not in broken]
    raised = [m for m in modules if now.get(m) == "skipped"]
    if broken:
        why = after.detail.split("output (end):")[-1].strip() if after.detail else ""
        detail = f"{parses.detail}; import fails after the patch: {', '.join(broken)}"
        if why:
            detail += f" ({why[-500:]})"
        return _result(CheckName.PARSES, CheckStatus.FAILED, detail)
    detail = f"{parses.detail}; {len(modules) - len(already) - len(raised)} module(s) import"
    if raised:
        detail += (
            f"; raised an exception of their own at import (not a code error): {', '.join(raised)}"
        )
    if already:
        detail += f"; failed to import before the patch too: {', '.join(already)}"
    return _result(CheckName.PARSES, CheckStatus.PASSED, detail)


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

    def per_engine(report: ScanReport) -> Counter[str]:
        return Counter(str(f.engine) for f in report.findings if matches(f))

    by_before, by_after = per_engine(before), per_engine(after)
    n_before, n_after = sum(by_before.values()), sum(by_after.values())
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

    def gone(engine: str) -> bool:
        b, a = by_before[engine], by_after[engine]
        return a == 0 if dep is not None else a < b

    # The engines that found it, and any independent engine that reported the same place
    # (same fingerprint), must see less of it after. An engine that only reports other
    # occurrences of the CWE in the scope is shown but cannot refute the fix.
    found_by = {str(e) for e in finding.engines}
    same_place = {str(f.engine) for f in before.findings if f.fingerprint == finding.fingerprint}
    judges = found_by | same_place if found_by else set(by_before)
    engines_seen = sorted(by_before)
    confirmed = [e for e in engines_seen if gone(e)]
    refuted = [e for e in engines_seen if not gone(e) and e in judges]
    independent = [e for e in confirmed if found_by and e not in found_by]
    per = ", ".join(f"{e} {by_before[e]} -> {by_after[e]}" for e in engines_seen)
    detail = f"{n_before} -> {n_after} {what}; per engine: {per}"
    if refuted:
        detail += f"; still reported by {', '.join(refuted)}"
    else:
        detail += f"; confirmed by {', '.join(confirmed)}"
        detail += (
            f" (independent: {', '.join(independent)})"
            if independent
            else " (no independent engine reported it)"
        )
    status = CheckStatus.FAILED if refuted else CheckStatus.PASSED
    return _result(name, status, detail)


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
