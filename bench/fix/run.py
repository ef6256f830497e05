"""Fix benchmark: on the labelled corpus in ``tests/corpus``, the fraction of true findings that
get a verified fix, per CWE, and the number of patches proposed for safe code.

For every vulnerable case (``# expect: mamori:python/<rule> line=N``): the case is committed
alone in a temporary git repository, scanned with Mamori's engines (taint + Bandit), each
expected finding that the taint engine reports (a true finding) goes through the fix stage
(every installed fixer), and the patch is verified by ``mamori.verify.checks.verify_patch`` with
the same engines as re-scan. The corpus cases have no tests, so a patch counts as verified when
PARSES (parse + import), FINDING_GONE (every engine that reported it) and NO_NEW_FINDINGS pass;
TESTS_SAME is reported as not run.

For every safe case (``# expect: none``): the case is scanned the way ``mamori run`` scans it,
triaged by the pipeline's triage stage, and the findings that the pipeline's own selection
(:func:`mamori.pipeline.select_fix_candidates`, with the ``[fix] pattern_only`` setting) sends
to the fixers go through every installed fixer. Any patch proposed for safe code is counted:
the target is zero. Pattern-only findings that the selection holds for review (the dataflow
engine analysed the file and found no path to the call; or a plain word under a "token" name that
Mamori's secret rule does not take for a credential) are counted apart. With ``--stress``, a
finding of each CWE of the case's directory is also made up at every code line (as a false
positive would be), and every fixer runs on it.

Usage: python bench/fix/run.py [--corpus DIR] [--json] [--verbose] [--pattern-only review|fix]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from mamori.config import Config, PatternOnlyMode
from mamori.domain import (
    CheckName,
    CheckStatus,
    Confidence,
    Finding,
    FindingId,
    FindingStatus,
    Fingerprint,
    Location,
    RawFinding,
    RuleId,
    ScanReport,
    Severity,
    Source,
)
from mamori.fix.stage import builtin_fixers, propose_fixes
from mamori.pipeline import select_fix_candidates
from mamori.scan.interface import ScanOptions
from mamori.scan.runner import ScanPlan, line_reader, rescan_paths, run_scan, select_scanners
from mamori.scan.taint import RULES
from mamori.triage.reachability import DataflowCoverage
from mamori.triage.stage import triage
from mamori.verify.checks import VerifyOptions, verify_patch
from mamori.verify.tests import TestRunOptions

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))
from corpus import expectations  # noqa: E402  (bench/corpus.py, shared by the benchmarks)


@dataclass
class Row:
    true_findings: int = 0
    patched: int = 0
    verified: int = 0
    outcomes: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    notes: list[str] = field(default_factory=list)


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), *args], check=True, capture_output=True, text=True
    ).stdout.strip()


def _repo(tmp: Path, rel: str, text: str) -> tuple[Path, str]:
    repo = tmp / "repo"
    (repo / rel).parent.mkdir(parents=True, exist_ok=True)
    (repo / rel).write_text(text)
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", "-A")
    _git(
        repo, "-c", "user.name=bench", "-c", "user.email=bench@example.invalid",
        "commit", "-q", "-m", "case",
    )  # fmt: skip
    return repo, _git(repo, "rev-parse", "HEAD")


def _finding(raw: RawFinding, report: ScanReport, fid: str) -> Finding:
    sources = tuple(
        Source(
            engine=f.engine,
            rule_id=f.rule_id,
            message=f.message,
            severity=f.severity,
            confidence=f.confidence,
        )
        for f in report.findings
        if f.fingerprint == raw.fingerprint
    )
    return Finding(
        id=FindingId(fid),
        fingerprint=raw.fingerprint,
        rule_id=raw.rule_id,
        cwe=raw.cwe,
        message=raw.message,
        location=raw.location,
        snippet=raw.snippet,
        severity=raw.severity,
        confidence=raw.confidence,
        sources=sources,
        scope=raw.scope,
        flow=raw.flow,  # as triage keeps it (fixers read the data flow)
    )


def _verified_without_tests(checks: dict[CheckName, CheckStatus]) -> bool:
    return all(
        checks.get(n) is CheckStatus.PASSED
        for n in (CheckName.PARSES, CheckName.FINDING_GONE, CheckName.NO_NEW_FINDINGS)
    )


@dataclass(frozen=True)
class CaseResult:
    cwe: int
    true_finding: bool
    outcome: str  # "verified", a verification status, "no_patch" or "not_detected"
    note: str


def _case(case: Path, corpus: Path, engines: tuple[str, ...], verbose: bool) -> list[CaseResult]:
    text = case.read_text()
    _, expected = expectations(text)
    scanners = select_scanners(list(engines))
    options = ScanOptions()
    verify_options = VerifyOptions(tests=TestRunOptions(timeout_s=60))
    fixers = builtin_fixers()
    out: list[CaseResult] = []

    def rescan(root: Path, paths: Sequence[str]) -> ScanReport:
        return rescan_paths(root, list(paths), options=options, scanners=scanners)

    rel = "app/" + case.relative_to(corpus).as_posix().replace("-", "_")
    with tempfile.TemporaryDirectory(prefix="mamori-bench-fix-") as tmp:
        repo, base = _repo(Path(tmp), rel, text)
        report = rescan(repo, [rel])
        for n, (rule, line) in enumerate(expected):
            cwe = RULES[rule].cwe
            raw = next(
                (
                    f
                    for f in report.findings
                    if f.engine == "mamori"
                    and f.rule_id == f"mamori:python/{rule}"
                    and f.location.start_line == line
                ),
                None,
            )
            if raw is None:
                out.append(CaseResult(cwe, False, "not_detected", f"{rel}:{line}: not detected"))
                continue
            finding = _finding(raw, report, f"F-{n}")

            def read(path: str, r: Path = repo) -> str:
                return (r / path).read_text()

            outcome = propose_fixes(
                [finding],
                read=read,
                fixers=fixers,
                requested_by="bench",
            )
            if not outcome.patches:
                why = outcome.unfixable[0][1] if outcome.unfixable else "?"
                out.append(CaseResult(cwe, True, "no_patch", f"{rel}:{line}: no patch: {why}"))
                continue
            patch = outcome.patches[0]
            v = verify_patch(
                patch=patch,
                finding=finding,
                root=repo,
                base_commit=base,
                baseline_tests=None,
                rescan=rescan,
                options=verify_options,
            )
            checks = {c.name: c.status for c in v.checks}
            if _verified_without_tests(checks):
                gone = v.check(CheckName.FINDING_GONE)
                note = f"{rel}:{line}: {patch.fixer_id}: {gone.detail if gone else ''}"
                out.append(CaseResult(cwe, True, "verified", note if verbose else ""))
                continue
            failing = [
                f"{c.name}: {c.detail}"
                for c in v.checks
                if c.status is not CheckStatus.PASSED and c.name is not CheckName.TESTS_SAME
            ]
            note = f"{rel}:{line}: {patch.fixer_id}: {v.status.value}: {'; '.join(failing)}"
            out.append(CaseResult(cwe, True, v.status.value, note))
    return out


def run_vulnerable(
    corpus: Path, engines: tuple[str, ...], only: str | None, jobs: int, verbose: bool
) -> dict[int, Row]:
    cases = [
        c
        for c in sorted(corpus.rglob("*.py"))
        if expectations(c.read_text())[1] and (only is None or only in c.as_posix())
    ]
    rows: dict[int, Row] = defaultdict(Row)
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        n = len(cases)
        results = pool.map(_case, cases, [corpus] * n, [engines] * n, [verbose] * n)
        for case_results in results:
            for r in case_results:
                row = rows[r.cwe]
                if r.true_finding:
                    row.true_findings += 1
                    row.outcomes[r.outcome] += 1
                    if r.outcome != "no_patch":
                        row.patched += 1
                    if r.outcome == "verified":
                        row.verified += 1
                if r.note:
                    row.notes.append(r.note)
    return rows


def _code_lines(text: str) -> list[int]:
    return [
        n
        for n, line in enumerate(text.splitlines(), 1)
        if line.strip() and not line.lstrip().startswith(("#", "@", "import ", "from "))
    ]


def _made_up(rel: str, text: str, cwes: set[int]) -> list[Finding]:
    return [
        Finding(
            id=FindingId(f"S-{cwe}-{line}"),
            fingerprint=Fingerprint(f"safe-{rel}-{cwe}-{line}"),
            rule_id=RuleId("bench:false-positive"),
            cwe=cwe,
            message="made-up finding on safe code",
            location=Location(path=rel, start_line=line),
            snippet="",
            severity=Severity.HIGH,
            confidence=Confidence.LOW,
            sources=(),
        )
        for cwe in sorted(cwes)
        for line in _code_lines(text)
    ]


_ANNOTATION = re.compile(r",\s*usedforsecurity=False|usedforsecurity=False,?\s*")


def _annotation_only(diff: str) -> bool:
    """Whether a patch only declares hashes as not used for security (`usedforsecurity=False`):
    the same digest, no behaviour change (what the issue asks for on a checksum)."""
    removed = [
        ln[1:] for ln in diff.splitlines() if ln.startswith("-") and not ln.startswith("---")
    ]
    added = [ln[1:] for ln in diff.splitlines() if ln.startswith("+") and not ln.startswith("+++")]
    return (
        bool(added)
        and len(removed) == len(added)
        and all(_ANNOTATION.sub("", a) == r != a for r, a in zip(removed, added, strict=True))
    )


def _safe_case(
    case: Path,
    corpus: Path,
    engines: tuple[str, ...],
    cwes: set[int],
    pattern_only: PatternOnlyMode | None,
) -> SafeResult:
    text = case.read_text()
    rel = "app/" + case.relative_to(corpus).as_posix()
    fixers = builtin_fixers()
    scanners = tuple(select_scanners(list(engines)))
    with tempfile.TemporaryDirectory(prefix="mamori-bench-safe-") as tmp:
        repo, _ = _repo(Path(tmp), rel, text)
        # As `mamori run` does: scan, triage (with what the dataflow engine analysed), then the
        # pipeline's own selection of the findings that go to the fixers.
        report, target = run_scan(ScanPlan(root=repo, options=ScanOptions(), scanners=scanners))
        triaged = triage(
            repo=str(repo),
            run_id=None,
            raws=report.findings,
            sources=target.sources,
            read_line=line_reader(repo, target),
            dataflow=DataflowCoverage.from_scan(report, target.sources),
        )
        mode = pattern_only or Config.load(repo).fix_pattern_only
    selection = select_fix_candidates(
        triaged.findings, unreached=dict(triaged.unreached), pattern_only=mode
    )
    real = propose_fixes(
        list(selection.candidates), read=lambda p: text, fixers=fixers, requested_by="bench"
    )
    stress = (
        propose_fixes(
            _made_up(rel, text, cwes), read=lambda p: text, fixers=fixers, requested_by="bench"
        )
        if cwes
        else None
    )
    by_id = {f.id: f for f in triaged.findings}
    return SafeResult(
        reported=len(report.findings),
        dismissed=sum(f.status is not FindingStatus.OPEN for f in triaged.findings),
        held=[
            f"{rel}:{by_id[fid].location.start_line}: {by_id[fid].rule_id} CWE-{by_id[fid].cwe}"
            for fid in selection.held
        ],
        patches=[
            f"{rel}: {p.fixer_id} ({p.description[:60]})"
            for p in real.patches
            if not _annotation_only(p.diff)
        ],
        annotations=[
            f"{rel}: {p.fixer_id} ({p.description[:60]})"
            for p in real.patches
            if _annotation_only(p.diff)
        ],
        stress=[f"{rel}: {p.fixer_id} at {p.finding_id}" for p in stress.patches]
        if stress is not None
        else [],
    )


@dataclass(frozen=True)
class SafeResult:
    reported: int  # raw findings the engines reported on the safe case (false positives)
    dismissed: int  # of the triaged findings, those triage suppressed or dismissed (not open)
    held: list[str]  # pattern-only findings the selection held for review (no patch)
    patches: list[str]  # behaviour-changing patches proposed for them: the target is zero
    annotations: list[str]  # `usedforsecurity=False` only (same behaviour), listed apart
    stress: list[str]  # patches proposed under made-up findings at every code line


@dataclass(frozen=True)
class SafeTotals:
    cases: int
    reported: int
    dismissed: int
    held: list[str]
    patches: list[str]
    annotations: list[str]
    stress: list[str]


def run_safe(
    corpus: Path,
    engines: tuple[str, ...],
    only: str | None,
    jobs: int,
    stress: bool,
    pattern_only: PatternOnlyMode | None = None,
) -> SafeTotals:
    by_dir: dict[str, set[int]] = defaultdict(set)
    cases = sorted(corpus.rglob("*.py"))
    for case in cases:
        for rule, _ in expectations(case.read_text())[1]:
            by_dir[case.parent.name].add(RULES[rule].cwe)
    safe = [
        c
        for c in cases
        if expectations(c.read_text()) == (True, []) and (only is None or only in c.as_posix())
    ]
    cwes = [
        (
            by_dir.get(c.parent.name)
            or ({RULES[c.parent.name].cwe} if c.parent.name in RULES else set())
        )
        if stress
        else set()
        for c in safe
    ]
    reported = dismissed = 0
    held: list[str] = []
    patches: list[str] = []
    annotations: list[str] = []
    stressed: list[str] = []
    n = len(safe)
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        for r in pool.map(_safe_case, safe, [corpus] * n, [engines] * n, cwes, [pattern_only] * n):
            reported += r.reported
            dismissed += r.dismissed
            held += r.held
            patches += r.patches
            annotations += r.annotations
            stressed += r.stress
    return SafeTotals(
        cases=n,
        reported=reported,
        dismissed=dismissed,
        held=held,
        patches=patches,
        annotations=annotations,
        stress=stressed,
    )


def _print_rows(rows: dict[int, Row]) -> None:
    total = Row()
    for row in rows.values():
        total.true_findings += row.true_findings
        total.patched += row.patched
        total.verified += row.verified
    print(f"{'CWE':>6} {'true':>5} {'patched':>8} {'verified':>9} {'ratio':>6}  outcomes")
    for cwe, r in sorted(rows.items()):
        ratio = r.verified / r.true_findings if r.true_findings else 0.0
        outs = ", ".join(f"{k}={v}" for k, v in sorted(r.outcomes.items()))
        print(f"{cwe:>6} {r.true_findings:>5} {r.patched:>8} {r.verified:>9} {ratio:>6.0%}  {outs}")
    ratio = total.verified / total.true_findings if total.true_findings else 0.0
    print(
        f"{'total':>6} {total.true_findings:>5} {total.patched:>8} {total.verified:>9}"
        f" {ratio:>6.0%}"
    )
    for cwe, r in sorted(rows.items()):
        for note in r.notes:
            print(f"  CWE-{cwe} {note}")
    sys.stdout.flush()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / "tests" / "corpus")
    parser.add_argument("--json", action="store_true", help="print the numbers as JSON")
    parser.add_argument("--verbose", action="store_true", help="list every case's outcome")
    parser.add_argument("--engines", default="mamori,bandit", help="comma-separated engines")
    parser.add_argument("--only", help="only cases whose path contains this text")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument(
        "--stress",
        action="store_true",
        help="also make up a finding at every code line of the safe cases (slow)",
    )
    parser.add_argument(
        "--pattern-only",
        choices=("review", "fix"),
        help="override [fix] pattern_only for the safe cases (default: the configured value)",
    )
    args = parser.parse_args(argv)
    engines = tuple(e.strip() for e in args.engines.split(",") if e.strip())
    started = time.monotonic()
    rows = run_vulnerable(args.corpus, engines, args.only, args.jobs, args.verbose)
    if not args.json:
        _print_rows(rows)
    safe = run_safe(args.corpus, engines, args.only, args.jobs, args.stress, args.pattern_only)
    n_safe, n_fp, safe_notes, annotations, stress = (
        safe.cases,
        safe.reported,
        safe.patches,
        safe.annotations,
        safe.stress,
    )
    safe_patches = len(safe_notes)
    total = Row()
    for row in rows.values():
        total.true_findings += row.true_findings
        total.patched += row.patched
        total.verified += row.verified
    elapsed = time.monotonic() - started
    if args.json:
        print(
            json.dumps(
                {
                    "per_cwe": {
                        str(c): {
                            "true_findings": r.true_findings,
                            "patched": r.patched,
                            "verified": r.verified,
                            "outcomes": dict(r.outcomes),
                        }
                        for c, r in sorted(rows.items())
                    },
                    "true_findings": total.true_findings,
                    "verified": total.verified,
                    "verified_fraction": total.verified / total.true_findings
                    if total.true_findings
                    else 0.0,
                    "safe_cases": n_safe,
                    "safe_false_positives": n_fp,
                    "safe_dismissed_by_triage": safe.dismissed,
                    "safe_pattern_only_held_for_review": len(safe.held),
                    "safe_patches": safe_patches,
                    "safe_annotation_only_patches": len(annotations),
                    "stress_patches_on_safe_code": len(stress),
                    "seconds": round(elapsed, 1),
                },
                indent=2,
            )
        )
        return 0
    print(
        f"safe code: {n_safe} safe cases, {n_fp} findings reported on them by {args.engines},"
        f" {safe_patches} patches proposed for them (target 0); {len(annotations)} more only"
        " declare `usedforsecurity=False` on a checksum hash (same behaviour)"
    )
    print(
        f"  of the findings on safe code: {safe.dismissed} suppressed or dismissed by triage,"
        f" {len(safe.held)} pattern-only findings held for review (the dataflow engine analysed"
        " the file and found no path from untrusted input to the call, or no credential in a"
        " plain word under a token name; no automatic patch)"
    )
    if args.stress:
        print(
            f"stress: {len(stress)} patches proposed on safe code when a finding is made up at"
            " every code line (hardening an engine false positive would trigger; not the target)"
        )
    print(
        "verified = parses and imports + gone for every engine that saw it + no new findings"
        " (the corpus cases have no tests)"
    )
    for note in safe_notes:
        print(f"  safe-code patch: {note}")
    for note in annotations:
        print(f"  safe-code annotation: {note}")
    if args.verbose:
        for note in safe.held:
            print(f"  held for review: {note}")
    if args.verbose:
        for note in stress:
            print(f"  stress: {note}")
    print(f"({elapsed:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
