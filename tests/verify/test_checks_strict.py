"""The strengthened checks: changed modules must import, and every engine that reported the
finding before (the one that found it and any independent one) must confirm it is gone."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from pathlib import Path

from mamori.domain import (
    CheckName,
    CheckStatus,
    EngineId,
    Finding,
    Fingerprint,
    RawFinding,
    ScanReport,
    Verification,
    VerificationStatus,
)
from mamori.verify.checks import VerifyOptions, verify_patch
from mamori.verify.tests import TestRunOptions
from tests.verify.verify_support import DB_PY, make_diff, make_patch, regex_rescan

OPTIONS = VerifyOptions(tests=TestRunOptions(timeout_s=120))
SAFE = DB_PY.replace(
    """conn.execute("SELECT * FROM users WHERE name = '%s'" % name)""",
    """conn.execute("SELECT * FROM users WHERE name = ?", (name,))""",
)


def _verify(
    project: tuple[Path, str],
    finding: Finding,
    new: str,
    rescan: Callable[[Path, Sequence[str]], ScanReport] = regex_rescan,
    old: str = DB_PY,
) -> Verification:
    root, base = project
    return verify_patch(
        patch=make_patch(make_diff("app/db.py", old, new)),
        finding=finding,
        root=root,
        base_commit=base,
        baseline_tests=None,
        rescan=rescan,
        options=OPTIONS,
    )


def test_module_that_no_longer_imports_is_parse_failed(
    project: tuple[Path, str], sql_finding: Finding
) -> None:
    broken = "import module_that_does_not_exist_42\n" + SAFE
    v = _verify(project, sql_finding, broken)
    assert v.status is VerificationStatus.PARSE_FAILED
    parses = v.check(CheckName.PARSES)
    assert parses is not None and parses.status is CheckStatus.FAILED
    assert "import fails after the patch: app.db" in parses.detail
    assert "module_that_does_not_exist_42" in parses.detail


def test_module_that_imports_passes_and_says_so(
    project: tuple[Path, str], sql_finding: Finding
) -> None:
    v = _verify(project, sql_finding, SAFE)
    parses = v.check(CheckName.PARSES)
    assert parses is not None and parses.status is CheckStatus.PASSED
    assert "1 module(s) import" in parses.detail


def test_import_failure_that_predates_the_patch_is_not_held_against_it(
    tmp_path: Path, sql_finding: Finding
) -> None:
    from tests.verify.verify_support import commit_all, git

    root = tmp_path / "p2"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    (root / "app").mkdir()
    (root / "app" / "__init__.py").write_text("")
    old = "import module_that_does_not_exist_42\n" + DB_PY
    (root / "app" / "db.py").write_text(old)
    base = commit_all(root, "initial")
    v = _verify((root, base), sql_finding, "import module_that_does_not_exist_42\n" + SAFE, old=old)
    parses = v.check(CheckName.PARSES)
    assert parses is not None and parses.status is CheckStatus.PASSED, parses
    assert "failed to import before the patch too: app.db" in parses.detail


def _two_engines(still_in_second: bool) -> Callable[[Path, Sequence[str]], ScanReport]:
    """The regex rescan plus a second engine that reports the same CWE in the same scope."""

    def rescan(root: Path, paths: Sequence[str]) -> ScanReport:
        report = regex_rescan(root, paths)
        extra = [dataclasses.replace(f, engine=EngineId("other")) for f in report.findings]
        if still_in_second and not extra:
            # The second engine keeps reporting the weakness after the patch.
            template = _FIRST[0]
            extra.append(dataclasses.replace(template, engine=EngineId("other")))
        return dataclasses.replace(
            report,
            findings=report.findings + tuple(extra),
            engines=(EngineId("fake"), EngineId("other")),
        )

    return rescan


_FIRST: list[RawFinding] = []  # the finding as the first engine reported it


def test_independent_engine_confirms(project: tuple[Path, str], sql_finding: Finding) -> None:
    v = _verify(project, sql_finding, SAFE, rescan=_two_engines(False))
    gone = v.check(CheckName.FINDING_GONE)
    assert gone is not None and gone.status is CheckStatus.PASSED, gone
    assert "per engine: fake 1 -> 0, other 1 -> 0" in gone.detail
    assert "confirmed by fake, other (independent: other)" in gone.detail


def test_independent_engine_that_still_reports_fails(
    project: tuple[Path, str], sql_finding: Finding
) -> None:
    root, _ = project
    _FIRST[:] = [f for f in regex_rescan(root, ["app/db.py"]).findings if f.cwe == 89]
    v = _verify(project, sql_finding, SAFE, rescan=_two_engines(True))
    assert v.status is VerificationStatus.STILL_VULNERABLE
    gone = v.check(CheckName.FINDING_GONE)
    assert gone is not None and "still reported by other" in gone.detail


def test_exception_raised_on_purpose_at_import_is_not_a_code_error(
    project: tuple[Path, str], sql_finding: Finding
) -> None:
    # The hard-coded-secret fix reads the secret at import and raises when it is not set.
    raising = SAFE + '\nif True:\n    raise RuntimeError("set the environment variable DB_KEY")\n'
    v = _verify(project, sql_finding, raising)
    parses = v.check(CheckName.PARSES)
    assert parses is not None and parses.status is CheckStatus.PASSED, parses
    assert "raised an exception of their own at import (not a code error): app.db" in parses.detail


def test_engine_reporting_only_other_occurrences_cannot_refute(
    project: tuple[Path, str], sql_finding: Finding
) -> None:
    root, _ = project
    (template,) = [f for f in regex_rescan(root, ["app/db.py"]).findings if f.cwe == 89]
    elsewhere = dataclasses.replace(
        template, engine=EngineId("other"), fingerprint=Fingerprint("another-place")
    )

    def rescan(tree: Path, paths: Sequence[str]) -> ScanReport:
        report = regex_rescan(tree, paths)
        return dataclasses.replace(report, findings=(*report.findings, elsewhere))

    v = _verify(project, sql_finding, SAFE, rescan=rescan)
    gone = v.check(CheckName.FINDING_GONE)
    assert gone is not None and gone.status is CheckStatus.PASSED, gone
    assert "other 1 -> 1" in gone.detail and "confirmed by fake" in gone.detail
