"""Detection benchmark: per-CWE true-positive rate, false-positive rate and their difference,
for Mamori's taint engine and for Bandit, on the labelled corpus in ``tests/corpus``, measured
in the same run.

A case is vulnerable when its header expects a finding (``# expect: mamori:python/<rule>
line=N``) and safe when it says ``# expect: none``; its rule is the expected one, else
``# bench-rule: <rule>``, else the name of its directory. A tool "flags" a case when it reports
anything of that case's CWE in the file (line numbers are not compared, which favours Bandit;
the exact lines are checked by ``tests/scan/taint/test_corpus.py``). Bandit's findings are
mapped to CWEs by test id where Bandit's own CWE label names a different weakness (it labels
``eval`` as CWE-78, for instance), else by its reported CWE.

Usage: python bench/detect/run.py [--corpus DIR] [--json]
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from mamori.scan.taint import RULES, TaintOptions, analyse_sources, load_models

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))
from corpus import EXPECT  # noqa: E402  (bench/corpus.py, shared by the benchmarks)

BENCH_RULE = re.compile(r"^#\s*bench-rule:\s*([\w-]+)\s*$")

# Bandit test id -> the CWE of the weakness it detects, in the corpus' terms.
BANDIT_CWE = {
    "B102": 95,  # exec_used
    "B307": 95,  # eval
    "B301": 502,
    "B302": 502,
    "B403": 502,
    "B506": 502,  # pickle, marshal, yaml.load
    "B303": 916,
    "B324": 916,  # md5/sha1: the corpus files weak hashing under the hash rule
    "B310": 918,  # urllib urlopen with a variable URL
    "B311": 330,
    "B608": 89,
    "B610": 89,
    "B611": 89,
    "B602": 78,
    "B603": 78,
    "B604": 78,
    "B605": 78,
    "B606": 78,
    "B607": 78,
    "B609": 78,
    "B701": 79,
    "B702": 79,
    "B703": 79,
    "B704": 79,
    "B105": 798,
    "B106": 798,
    "B107": 798,
    **{f"B{n}": 611 for n in (*range(313, 321), *range(405, 412))},
}


@dataclass
class Case:
    path: Path
    rule: str
    cwe: int
    vulnerable: bool


@dataclass
class Score:
    tp: int = 0
    fn: int = 0
    fp: int = 0
    tn: int = 0

    def add(self, vulnerable: bool, flagged: bool) -> None:
        if vulnerable:
            self.tp += flagged
            self.fn += not flagged
        else:
            self.fp += flagged
            self.tn += not flagged

    @property
    def tpr(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def fpr(self) -> float:
        return self.fp / (self.fp + self.tn) if self.fp + self.tn else 0.0


@dataclass
class Tool:
    name: str
    scores: dict[str, Score] = field(default_factory=lambda: defaultdict(Score))
    seconds: float = 0.0


def load_cases(corpus: Path) -> list[Case]:
    cases: list[Case] = []
    for path in sorted(corpus.rglob("*.py")):
        rule = None
        vulnerable = False
        for line in path.read_text(encoding="utf-8").splitlines()[:30]:
            m = EXPECT.match(line.strip())
            if m and m.group(2):
                rule, vulnerable = m.group(2), True
            b = BENCH_RULE.match(line.strip())
            if b and rule is None:
                rule = b.group(1)
        if rule is None:
            rule = path.parent.name
        if rule not in RULES:
            print(f"skipped (no rule for its CWE): {path.relative_to(corpus)}", file=sys.stderr)
            continue
        cases.append(Case(path=path, rule=rule, cwe=RULES[rule].cwe, vulnerable=vulnerable))
    return cases


def run_mamori(cases: list[Case], corpus: Path) -> tuple[Tool, dict[Path, set[int]]]:
    tool = Tool("mamori")
    models = load_models()
    options = TaintOptions(jobs=1, cache=False)
    found: dict[Path, set[int]] = {}
    start = time.perf_counter()
    for case in cases:
        # One file per analysis: the cases are independent programs.
        rel = case.path.relative_to(corpus).as_posix()
        result = analyse_sources({rel: case.path.read_text()}, options=options, models=models)
        found[case.path] = {RULES[h.rule].cwe for h in result.hits}
    tool.seconds = time.perf_counter() - start
    return tool, found


def run_bandit(corpus: Path) -> tuple[Tool, dict[Path, set[int]]]:
    tool = Tool("bandit")
    exe = shutil.which("bandit") or str(Path(sys.executable).with_name("bandit"))
    start = time.perf_counter()
    proc = subprocess.run(
        [exe, "-r", "-q", "-f", "json", str(corpus)], capture_output=True, text=True, check=False
    )
    tool.seconds = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(f"bandit failed ({proc.returncode}): {proc.stderr[-2000:]}")
    report = json.loads(proc.stdout)
    found: dict[Path, set[int]] = defaultdict(set)
    for issue in report["results"]:
        cwe = BANDIT_CWE.get(issue["test_id"], (issue.get("issue_cwe") or {}).get("id", 0))
        found[Path(issue["filename"]).resolve()].add(int(cwe))
    return tool, found


def score(tool: Tool, cases: list[Case], found: dict[Path, set[int]]) -> None:
    for case in cases:
        flagged = case.cwe in found.get(case.path.resolve(), found.get(case.path, set()))
        tool.scores[case.rule].add(case.vulnerable, flagged)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / "tests" / "corpus")
    parser.add_argument("--json", action="store_true", help="print machine-readable results")
    args = parser.parse_args()
    corpus = args.corpus.resolve()
    cases = load_cases(corpus)
    mamori, m_found = run_mamori(cases, corpus)
    bandit, b_found = run_bandit(corpus)
    score(mamori, cases, m_found)
    score(bandit, cases, b_found)

    rules = sorted({c.rule for c in cases}, key=lambda r: (RULES[r].cwe, r))
    rows = []
    for rule in rules:
        n_vuln = sum(1 for c in cases if c.rule == rule and c.vulnerable)
        n_safe = sum(1 for c in cases if c.rule == rule and not c.vulnerable)
        m, b = mamori.scores[rule], bandit.scores[rule]
        rows.append((rule, RULES[rule].cwe, n_vuln, n_safe, m, b))
    m_avg = sum(r[4].tpr - r[4].fpr for r in rows) / len(rows)
    b_avg = sum(r[5].tpr - r[5].fpr for r in rows) / len(rows)
    if args.json:
        print(
            json.dumps(
                {
                    "cases": len(cases),
                    "per_cwe": [
                        {
                            "rule": r[0],
                            "cwe": r[1],
                            "vulnerable": r[2],
                            "safe": r[3],
                            "mamori": {"tpr": r[4].tpr, "fpr": r[4].fpr},
                            "bandit": {"tpr": r[5].tpr, "fpr": r[5].fpr},
                        }
                        for r in rows
                    ],
                    "mamori_average": m_avg,
                    "bandit_average": b_avg,
                    "seconds": {"mamori": mamori.seconds, "bandit": bandit.seconds},
                },
                indent=2,
            )
        )
        return 0
    n_vuln = sum(c.vulnerable for c in cases)
    print(f"Corpus: {len(cases)} cases ({n_vuln} vulnerable) in {corpus}")
    tools = f"{'Mamori TPR  FPR  diff':>22} | {'Bandit TPR  FPR  diff':>22}"
    head = f"{'rule':<24}{'CWE':>5}{'vuln':>6}{'safe':>6} | {tools}"
    print(head)
    print("-" * len(head))
    for rule, cwe, nv, ns, m, b in rows:
        print(
            f"{rule:<24}{cwe:>5}{nv:>6}{ns:>6} | "
            f"{m.tpr:>11.2f}{m.fpr:>5.2f}{m.tpr - m.fpr:>6.2f} | "
            f"{b.tpr:>11.2f}{b.fpr:>5.2f}{b.tpr - b.fpr:>6.2f}"
        )
    print("-" * len(head))
    print(f"{'average over CWEs (TPR-FPR)':<41} | {m_avg:>22.2f} | {b_avg:>22.2f}")
    worst = min(rows, key=lambda r: r[4].tpr - r[4].fpr)
    print(
        f"Mamori lowest CWE: {worst[0]} ({worst[4].tpr - worst[4].fpr:.2f}); "
        f"time: Mamori {mamori.seconds:.1f}s, Bandit {bandit.seconds:.1f}s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
