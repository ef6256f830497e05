"""Proof-of-concept benchmark: on the Flask cases of the labelled corpus in ``tests/corpus``, the
fraction of true findings in the injection CWEs whose generated exploit confirms them in the
sandbox, and the number of made-up findings on safe code that an exploit wrongly confirms.

For every vulnerable Flask case (``# expect: mamori:python/<rule> line=N``): the case is written
alone into a temporary directory, scanned with the taint engine, and each expected finding that
the engine reports (a true finding) gets an exploit (``mamori.verify.poc.generate_exploit``) that
runs in the bubblewrap sandbox (``run_exploit``). A finding the engine misses is counted apart
(not detected), not as an exploit failure.

For every safe Flask case (``# expect: none``): the engine's own findings on it (false positives)
are exploited; when it reports none, a finding of the directory's CWE is made up at the line of
the dangerous-looking call (the sink a false positive would name), with a flow that starts at
the request data the enclosing route reads. An exploit that confirms any of them is a wrong
confirmation: the target is zero.

Usage: python bench/poc/run.py [--cwe 89,78] [--json] [--verbose] [--jobs 2]
"""

from __future__ import annotations

import argparse
import ast
import json
import re
import sys
import tempfile
import time
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from mamori.domain import (
    Confidence,
    Finding,
    FindingId,
    Fingerprint,
    FlowStep,
    Location,
    RawFinding,
    RuleId,
    Severity,
    Source,
)
from mamori.scan.interface import ScanOptions
from mamori.scan.inventory import build_target
from mamori.scan.taint.scanner import TaintScanner
from mamori.verify.poc import ExploitOutcome, generate_exploit, run_exploit

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))
from corpus import expectations  # noqa: E402  (bench/corpus.py, shared by the benchmarks)

# The injection CWEs of issue 5's target and their corpus directories.
DIRS = {
    "command-injection": 78,
    "sql-injection": 89,
    "path-traversal": 22,
    "xss": 79,
    "code-injection": 94,
    "unsafe-deserialization": 502,
    "open-redirect": 601,
    "xpath-injection": 643,
    "ldap-injection": 90,
    "xxe": 611,
}
# The calls a false positive of each CWE would name as its sink.
SINKS = {
    78: r"subprocess\.|\bos\.(system|popen|exec|spawn)|\bPopen\(|check_output\(|check_call\(",
    89: r"\.execute(many|script)?\(|read_sql|\btext\(|\.raw\(",
    22: r"\bopen\(|send_file\(|send_from_directory\(|read_(text|bytes)\("
    r"|os\.(remove|unlink|listdir)",
    79: r"render_template_string\(|Markup\(|make_response\(|Response\(|return\s+f?[\"'].*<",
    94: r"\beval\(|\bexec\(|\bcompile\(",
    502: r"pickle\.|yaml\.|marshal\.|jsonpickle\.|shelve\.|dill\.",
    601: r"\bredirect\(",
    643: r"xpath|XPath|\.find(all|text)?\(|iterfind\(",
    90: r"\.search(_s|_st|_ext)?\(|\.modify(_s)?\(|\.delete(_s)?\(|\.add(_s)?\(|\.compare",
    611: r"fromstring\(|\bparse(String)?\(|XMLParser\(|minidom|pulldom|sax\.|XML\(",
}
HEADINGS = (("CWE", 6), ("true", 5), ("confirmed", 10), ("rate", 6), ("missed", 7), ("false", 6))
HEADINGS += (("ran", 5), ("wrong", 6))
_SOURCE = re.compile(
    r"\brequest\.(args|values|form|files|json|get_json|data|get_data|cookies|headers)\b"
)


@dataclass(frozen=True)
class CaseResult:
    cwe: int
    kind: str  # "true", "false" or "missed" (a true finding the engine did not report)
    confirmed: bool
    note: str
    ran: bool = False  # an exploit was generated and ran to a verdict (not "no exploit"/error)


@dataclass
class Row:
    true_findings: int = 0
    confirmed: int = 0
    missed: int = 0
    errors: int = 0
    false_findings: int = 0
    false_ran: int = 0  # false findings whose exploit ran in the application to a verdict
    wrongly_confirmed: int = 0
    notes: list[str] = field(default_factory=list)


def _is_flask(text: str) -> bool:
    return bool(re.search(r"^\s*(?:from|import)\s+flask\b", text, re.M)) and not re.search(
        r"^\s*(?:from|import)\s+(?:django|fastapi|starlette)\b", text, re.M
    )


def _to_finding(raw: RawFinding, fid: str) -> Finding:
    source = Source(
        engine=raw.engine,
        rule_id=raw.rule_id,
        message=raw.message,
        severity=raw.severity,
        confidence=raw.confidence,
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
        sources=(source,),
        scope=raw.scope,
        flow=raw.flow,
    )


def _scan(root: Path) -> list[RawFinding]:
    target, _ = build_target(root, ScanOptions())
    return list(TaintScanner().scan(target).findings)


def _functions(tree: ast.Module) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    return [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]


def _route_params(func: ast.FunctionDef | ast.AsyncFunctionDef) -> list[str]:
    names: list[str] = []
    for d in func.decorator_list:
        for node in ast.walk(d):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                names += re.findall(r"<(?:[^:<>]+:)?(\w+)>", node.value)
    return names


def _made_up(rel: str, text: str, cwe: int) -> list[Finding]:
    """Findings of ``cwe`` at the dangerous-looking calls of a safe case, each with a flow from
    the request data its route reads (what a false positive of the engine would look like)."""
    try:
        tree = ast.parse(text)
    except SyntaxError:  # newer syntax than this interpreter's: the app cannot run here either
        return []
    lines = text.splitlines()
    funcs = _functions(tree)
    sink = re.compile(SINKS[cwe])
    routes = [
        f
        for f in funcs
        if any(
            "route" in ast.unparse(d)
            or re.search(r"\.(get|post|put|delete|patch)\(", ast.unparse(d))
            for d in f.decorator_list
        )
    ]
    out: list[Finding] = []
    for n, line in enumerate(lines, 1):
        code = line.split("#", 1)[0]
        if not sink.search(code) or line.lstrip().startswith(("import ", "from ", "@", "def ")):
            continue
        inner = [f for f in funcs if f.lineno <= n <= (f.end_lineno or f.lineno)]
        if not inner:
            continue
        scope = max(inner, key=lambda f: f.lineno)
        # The route whose request data would flow there: the enclosing one, else every route.
        holders = [f for f in inner if f in routes] or routes
        for route in holders:
            flow_start: FlowStep | None = None
            end = route.end_lineno or route.lineno
            for m in range(route.lineno, end + 1):
                s = _SOURCE.search(lines[m - 1])
                if s:
                    msg = f"source: request.{s.group(1)}"
                    flow_start = FlowStep(location=Location(path=rel, start_line=m), message=msg)
                    break
            if flow_start is None and _route_params(route):
                flow_start = FlowStep(
                    location=Location(path=rel, start_line=route.lineno + 1),
                    message=f"source: route parameter '{_route_params(route)[0]}'",
                )
            if flow_start is None:
                continue
            loc = Location(path=rel, start_line=n)
            out.append(
                Finding(
                    id=FindingId(f"S-{cwe}-{n}-{route.name}"),
                    fingerprint=Fingerprint(f"safe-{rel}-{cwe}-{n}-{route.name}"),
                    rule_id=RuleId("bench:false-positive"),
                    cwe=cwe,
                    message="made-up finding on safe code",
                    location=loc,
                    snippet=line.strip(),
                    severity=Severity.HIGH,
                    confidence=Confidence.LOW,
                    sources=(),
                    scope=scope.name,
                    flow=(flow_start, FlowStep(location=loc, message="sink: made up")),
                )
            )
            break
    return out


def _exploit(finding: Finding, root: Path) -> tuple[bool, str, bool]:
    """(confirmed, note, ran to a verdict)."""
    exploit, why = generate_exploit(finding, root)
    if exploit is None:
        return False, f"no exploit: {why}", False
    result = run_exploit(exploit, root, timeout_s=60)
    if result.outcome is ExploitOutcome.WORKS:
        return True, "; ".join(result.evidence)[:200], True
    detail = result.detail[-400:] if result.outcome is ExploitOutcome.ERROR else result.detail
    ran = result.outcome is ExploitOutcome.FAILS
    return False, f"{result.outcome.value}: {detail[:400]}", ran


def _case(case: Path, cwe_dir: int) -> list[CaseResult]:
    text = case.read_text()
    _, expected = expectations(text)
    rel = "webcase.py"  # a module name no case's imports shadow
    out: list[CaseResult] = []
    name = f"{case.parent.name}/{case.name}"
    with tempfile.TemporaryDirectory(prefix="mamori-bench-poc-") as tmp:
        root = Path(tmp) / "repo"
        root.mkdir()
        (root / rel).write_text(text)
        raws = _scan(root)
        if expected:
            for n, (rule, line) in enumerate(expected):
                # Counted under the directory's CWE (code-injection's eval is CWE-95).
                cwe = cwe_dir
                raw = next(
                    (
                        f
                        for f in raws
                        if f.rule_id == f"mamori:python/{rule}" and f.location.start_line == line
                    ),
                    None,
                )
                if raw is None:
                    out.append(CaseResult(cwe, "missed", False, f"{name}:{line}: not detected"))
                    continue
                ok, note, ran = _exploit(_to_finding(raw, f"T-{n}"), root)
                out.append(CaseResult(cwe, "true", ok, f"{name}:{line}: {note}", ran))
            return out
        # Safe: the engine's own false positives of this CWE, else made-up ones.
        findings = [
            _to_finding(r, f"FP-{i}")
            for i, r in enumerate(raws)
            if r.cwe == cwe_dir or (cwe_dir == 94 and r.cwe == 95)
        ]
        if not findings:
            findings = _made_up(rel, text, cwe_dir)
        if not findings:
            out.append(CaseResult(cwe_dir, "false", False, f"{name}: no sink-like call found"))
        for f in findings:
            ok, note, ran = _exploit(f, root)
            note = f"{name}:{f.location.start_line}: {note}"
            out.append(CaseResult(cwe_dir, "false", ok, note, ran))
    return out


def _cases(corpus: Path, cwes: set[int] | None) -> list[tuple[Path, int]]:
    cases: list[tuple[Path, int]] = []
    for d, cwe in DIRS.items():
        if cwes is not None and cwe not in cwes:
            continue
        for case in sorted((corpus / d).glob("*.py")):
            text = case.read_text()
            header, _ = expectations(text)
            if header and _is_flask(text):
                cases.append((case, cwe))
    return cases


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / "tests" / "corpus")
    parser.add_argument("--cwe", help="comma-separated CWE numbers (default: all ten)")
    parser.add_argument("--only", help="only cases whose path contains this text")
    parser.add_argument("--json", action="store_true", help="print the numbers as JSON")
    parser.add_argument("--verbose", action="store_true", help="list every case's outcome")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args(argv)
    cwes = {int(c) for c in args.cwe.split(",")} if args.cwe else None
    cases = [c for c in _cases(args.corpus, cwes) if args.only is None or args.only in str(c[0])]
    started = time.monotonic()
    rows: dict[int, Row] = defaultdict(Row)
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        for results in pool.map(_case, [c for c, _ in cases], [w for _, w in cases]):
            for r in results:
                row = rows[r.cwe]
                if r.kind == "missed":
                    row.missed += 1
                elif r.kind == "true":
                    row.true_findings += 1
                    row.confirmed += r.confirmed
                else:
                    row.false_findings += 1
                    row.false_ran += r.ran
                    row.wrongly_confirmed += r.confirmed
                if (
                    args.verbose
                    or (r.kind == "true" and not r.confirmed)
                    or (r.kind == "false" and r.confirmed)
                ):
                    mark = {"true": "TP", "false": "FP", "missed": "--"}[r.kind]
                    ok = "confirmed" if r.confirmed else "not confirmed"
                    row.notes.append(f"{mark} {ok}: {r.note}")
    total = Row()
    for row in rows.values():
        total.true_findings += row.true_findings
        total.confirmed += row.confirmed
        total.missed += row.missed
        total.false_findings += row.false_findings
        total.false_ran += row.false_ran
        total.wrongly_confirmed += row.wrongly_confirmed
    elapsed = time.monotonic() - started

    def rate(r: Row) -> float:
        return r.confirmed / r.true_findings if r.true_findings else 0.0

    if args.json:
        data = {
            "per_cwe": {
                str(c): {
                    "true_findings": r.true_findings,
                    "confirmed": r.confirmed,
                    "rate": round(rate(r), 3),
                    "not_detected": r.missed,
                    "false_findings": r.false_findings,
                    "false_exploits_ran": r.false_ran,
                    "wrongly_confirmed": r.wrongly_confirmed,
                }
                for c, r in sorted(rows.items())
            },
            "true_findings": total.true_findings,
            "confirmed": total.confirmed,
            "rate": round(rate(total), 3),
            "not_detected": total.missed,
            "false_findings": total.false_findings,
            "false_exploits_ran": total.false_ran,
            "wrongly_confirmed": total.wrongly_confirmed,
            "cases": len(cases),
            "seconds": round(elapsed, 1),
        }
        print(json.dumps(data, indent=2))
        return 0
    print(" ".join(f"{h:>{w}}" for h, w in HEADINGS))
    for cwe, r in sorted(rows.items()):
        print(
            f"{cwe:>6} {r.true_findings:>5} {r.confirmed:>10} {rate(r):>6.0%} {r.missed:>7}"
            f" {r.false_findings:>6} {r.false_ran:>5} {r.wrongly_confirmed:>6}"
        )
    print(
        f"{'total':>6} {total.true_findings:>5} {total.confirmed:>10} {rate(total):>6.0%}"
        f" {total.missed:>7} {total.false_findings:>6} {total.false_ran:>5}"
        f" {total.wrongly_confirmed:>6}"
    )
    print(
        "true = true findings the taint engine reports; missed = expected findings it does not"
        " (not exploited); false = findings on safe code (engine false positives, else made up"
        " at the sink-like call); ran = false findings whose exploit ran the route to a verdict;"
        " wrong = false findings an exploit confirmed (target 0)"
    )
    for cwe, r in sorted(rows.items()):
        for note in r.notes:
            print(f"  CWE-{cwe} {note}")
    print(f"({len(cases)} Flask cases, {elapsed:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
