"""Held-out-style fix benchmark: Mamori end to end on small projects with their own tests.

Each case in ``bench/fix/holdout/<case>/`` is a tiny Python project with one vulnerability
(its CWE, and the rules that report it under another CWE, are listed in
``bench/fix/holdout/cases.toml``), ``tests/test_functional.py`` (benign
behaviour) and ``tests/test_security.py`` (an attack). For every case:

1. validity: on a copy of the case, the functional tests must pass and the security test must
   FAIL (a case whose security test already passes is reported as invalid and not scored);
2. the case WITHOUT its security test is committed to a fresh git repository and
   ``mamori run --json`` runs there as a user would (scan, triage, fix, verify in the sandbox
   with the project's own functional tests, gate);
3. every patch that passed all four checks is applied (``git apply``) alone to a fresh copy of
   the whole case, then all of them together, and the security test and the functional tests
   are run with pytest.

A case counts as a success when a finding with the case's CWE got a verified patch that makes
the security test pass without breaking a functional test. Printed per CWE: cases, found,
patched, verified, security test passes after, functional tests broken.

Usage: python bench/fix/holdout.py [--case NAME]... [--json] [--verbose]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
CASES_DIR = HERE / "holdout"
SECURITY_TEST = Path("tests") / "test_security.py"
FUNCTIONAL_TEST = Path("tests") / "test_functional.py"


@dataclass
class PatchResult:
    patch_id: str
    finding_cwe: int
    fixer: str
    status: str
    applies: bool = False
    security_passes: bool = False
    functional_ok: bool = False
    detail: str = ""


@dataclass
class CaseResult:
    name: str
    cwe: int
    valid: bool = True
    invalid_reason: str = ""
    found: bool = False
    patched: bool = False
    verified: bool = False
    security_passes: bool = False  # with a verified patch of the case's CWE
    functional_broken: bool = False  # by any verified patch
    success: bool = False
    findings: list[str] = field(default_factory=list)
    patches: list[PatchResult] = field(default_factory=list)
    unfixable: list[str] = field(default_factory=list)
    error: str = ""
    seconds: float = 0.0


def _git(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", "-c", "user.name=holdout", "-c", "user.email=holdout@example.invalid", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        check=False,
    )


def _copy_case(src: Path, dst: Path, *, with_security: bool) -> Path:
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".pytest_cache")
    shutil.copytree(src, dst, ignore=ignore)
    if not with_security:
        (dst / SECURITY_TEST).unlink()
    _git(dst, "init", "-q", "-b", "main")
    _git(dst, "add", "-A")
    _git(dst, "commit", "-q", "-m", "initial")
    return dst


def _pytest(project: Path, test: Path) -> tuple[bool, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MAMORI_", "PYTEST_"))}
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(test)],
        cwd=project,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    tail = (proc.stdout + proc.stderr).strip().splitlines()
    return proc.returncode == 0, (tail[-1] if tail else "")


def _mamori_run(repo: Path) -> dict[str, Any]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAMORI_")}
    env["MAMORI_ACTOR"] = "holdout-bench"
    proc = subprocess.run(
        [sys.executable, "-m", "mamori.cli.main", "run", str(repo), "--json"],
        cwd=repo,
        capture_output=True,
        text=True,
        env=env,
        timeout=1800,
        check=False,
    )
    if not proc.stdout.strip():
        raise RuntimeError(f"mamori run exited {proc.returncode}: {proc.stderr.strip()[-500:]}")
    data: dict[str, Any] = json.loads(proc.stdout)
    return data


def _apply_and_test(case_dir: Path, work: Path, diffs: list[str]) -> tuple[bool, bool, bool, str]:
    """(applies, security test passes, functional tests pass, detail) for these diffs."""
    project = _copy_case(case_dir, work, with_security=True)
    for i, diff in enumerate(diffs):
        patch_file = work.parent / f"{work.name}-{i}.diff"
        patch_file.write_text(diff, encoding="utf-8")
        proc = _git(project, "apply", "--whitespace=nowarn", str(patch_file))
        if proc.returncode != 0:
            return False, False, False, f"git apply: {proc.stderr.strip()[:200]}"
    sec_ok, sec_tail = _pytest(project, SECURITY_TEST)
    fun_ok, fun_tail = _pytest(project, FUNCTIONAL_TEST)
    return True, sec_ok, fun_ok, f"security: {sec_tail}; functional: {fun_tail}"


def run_case(name: str, cwes: list[int], rules: list[str], tmp: Path) -> CaseResult:
    start = time.monotonic()
    case_dir = CASES_DIR / name
    res = CaseResult(name=name, cwe=cwes[0])
    base = tmp / name
    base.mkdir()

    check = _copy_case(case_dir, base / "check", with_security=True)
    fun_ok, fun_tail = _pytest(check, FUNCTIONAL_TEST)
    sec_ok, sec_tail = _pytest(check, SECURITY_TEST)
    if not fun_ok or sec_ok:
        res.valid = False
        res.invalid_reason = (
            f"functional tests fail before the fix ({fun_tail})"
            if not fun_ok
            else f"security test already passes before the fix ({sec_tail})"
        )
        res.seconds = time.monotonic() - start
        return res

    repo = _copy_case(case_dir, base / "repo", with_security=False)
    try:
        summary = _mamori_run(repo)
    except (RuntimeError, subprocess.TimeoutExpired, json.JSONDecodeError) as e:
        res.error = str(e)
        res.seconds = time.monotonic() - start
        return res

    findings = {f["id"]: f for f in summary["findings"]}
    true_ids = {
        fid
        for fid, f in findings.items()
        if f["cwe"] in cwes or {s["rule_id"] for s in f["sources"]} & set(rules)
    }
    res.findings = [
        f"{f['rule_id']} CWE-{f['cwe']} {f['location']['path']}:{f['location']['start_line']}"
        for f in summary["findings"]
    ]
    res.found = bool(true_ids)
    res.unfixable = [f"{fid}: {why}" for fid, why in summary["unfixable"] if fid in true_ids]

    verified_diffs: list[str] = []
    for n, outcome in enumerate(summary["patches"]):
        patch = outcome["patch"]
        status = outcome["verification"]["status"]
        finding = findings.get(patch["finding_id"], {})
        pr = PatchResult(
            patch_id=patch["id"],
            finding_cwe=int(finding.get("cwe", 0)),
            fixer=patch["fixer_id"],
            status=status,
        )
        if patch["finding_id"] in true_ids:
            res.patched = True
        if status != "verified":
            failed = [
                f"{c['name']}: {c['detail'][:160]}"
                for c in outcome["verification"]["checks"]
                if c["status"] != "passed"
            ]
            pr.detail = "; ".join(failed)
            res.patches.append(pr)
            continue
        verified_diffs.append(patch["diff"])
        pr.applies, pr.security_passes, pr.functional_ok, pr.detail = _apply_and_test(
            case_dir, base / f"patch{n}", [patch["diff"]]
        )
        if not pr.functional_ok:
            res.functional_broken = True
        if patch["finding_id"] in true_ids:
            res.verified = True
            if pr.security_passes:
                res.security_passes = True
        res.patches.append(pr)

    if len(verified_diffs) > 1 and res.verified and not res.security_passes:
        # The patches of one run are delivered together: score them together too.
        applies, sec, fun, _detail = _apply_and_test(case_dir, base / "all", verified_diffs)
        res.security_passes = applies and sec
        res.functional_broken = res.functional_broken or not fun
    res.success = res.verified and res.security_passes and not res.functional_broken
    res.seconds = time.monotonic() - start
    return res


@dataclass
class Row:
    cases: int = 0
    invalid: int = 0
    found: int = 0
    patched: int = 0
    verified: int = 0
    security_passes: int = 0
    functional_broken: int = 0
    success: int = 0


def _table(results: list[CaseResult]) -> dict[str, Row]:
    rows: dict[str, Row] = defaultdict(Row)
    for r in results:
        for key in (f"CWE-{r.cwe}", "total"):
            row = rows[key]
            row.cases += 1
            if not r.valid:
                row.invalid += 1
                continue
            row.found += r.found
            row.patched += r.patched
            row.verified += r.verified
            row.security_passes += r.security_passes
            row.functional_broken += r.functional_broken
            row.success += r.success
    return dict(sorted(rows.items(), key=lambda kv: (kv[0] == "total", kv[0])))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--case", action="append", default=[], help="run only this case")
    ap.add_argument("--json", action="store_true", help="print the results as JSON")
    ap.add_argument("--verbose", "-v", action="store_true", help="print every case")
    args = ap.parse_args(argv)

    spec = tomllib.loads((CASES_DIR / "cases.toml").read_text(encoding="utf-8"))["cases"]
    names = args.case or list(spec)
    unknown = [n for n in names if n not in spec]
    if unknown:
        ap.error(f"unknown case(s): {', '.join(unknown)}")
    results: list[CaseResult] = []
    with tempfile.TemporaryDirectory(prefix="mamori-holdout-") as tmp:
        for name in names:
            case = spec[name]
            r = run_case(name, list(case["cwe"]), list(case.get("rules", [])), Path(tmp))
            results.append(r)
            if args.verbose and not args.json:
                _print_case(r)

    rows = _table(results)
    if args.json:
        print(
            json.dumps(
                {
                    "rows": {k: asdict(v) for k, v in rows.items()},
                    "cases": [asdict(r) for r in results],
                },
                indent=2,
            )
        )
        return 0
    print(
        f"{'':10} {'cases':>5} {'inval':>5} {'found':>5} {'patch':>5} {'verif':>5} "
        f"{'sec-ok':>6} {'broke':>5} {'succ':>5}"
    )
    for key, row in rows.items():
        print(
            f"{key:10} {row.cases:>5} {row.invalid:>5} {row.found:>5} {row.patched:>5} "
            f"{row.verified:>5} {row.security_passes:>6} {row.functional_broken:>5} "
            f"{row.success:>5}"
        )
    total = rows["total"]
    valid = total.cases - total.invalid
    rate = total.success / valid if valid else 0.0
    print(
        f"true findings with a verified patch that makes the security test pass: "
        f"{total.success}/{valid} valid cases ({rate:.0%}); "
        f"cases where a verified patch broke a functional test: {total.functional_broken}"
    )
    for r in results:
        if not r.valid:
            print(f"INVALID {r.name}: {r.invalid_reason}")
    return 0


def _print_case(r: CaseResult) -> None:
    mark = "ok  " if r.success else ("INV " if not r.valid else "FAIL")
    print(f"{mark} {r.name} CWE-{r.cwe} ({r.seconds:.0f}s)", flush=True)
    if r.invalid_reason or r.error:
        print(f"     {r.invalid_reason or r.error}")
    if not r.success and r.valid:
        for f in r.findings:
            print(f"     finding: {f}")
        for u in r.unfixable:
            print(f"     unfixable: {u}")
        for p in r.patches:
            print(
                f"     patch {p.fixer} CWE-{p.finding_cwe} {p.status} "
                f"sec={p.security_passes} fun={p.functional_ok}: {p.detail[:300]}"
            )


if __name__ == "__main__":
    sys.exit(main())
