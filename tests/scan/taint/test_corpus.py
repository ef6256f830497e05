"""The labelled corpus: every case states its expected findings in its first lines.

``# expect: mamori:python/<rule> line=<n>`` (one per expected finding) or ``# expect: none``.
The engine must report exactly those (rule, line) pairs for the case file, nothing more.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mamori.scan.taint import RULES, Models, TaintOptions, analyse_sources

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
EXPECT = re.compile(r"^#\s*expect:\s*(?:(none)|(mamori:python/[\w-]+)\s+line=(\d+))\s*$")
CASES = sorted(CORPUS.rglob("*.py"))
NO_CACHE = TaintOptions(jobs=1, cache=False)


def expectations(text: str) -> set[tuple[str, int]]:
    found: set[tuple[str, int]] = set()
    saw_header = False
    for line in text.splitlines()[:30]:
        m = EXPECT.match(line.strip())
        if not m:
            continue
        saw_header = True
        if m.group(2):
            found.add((m.group(2), int(m.group(3))))
    assert saw_header, "corpus case without an `# expect:` line"
    return found


def test_corpus_is_big_enough() -> None:
    assert len(CASES) >= 400
    vulnerable = [c for c in CASES if expectations(c.read_text())]
    assert len(vulnerable) >= 150
    assert len(CASES) - len(vulnerable) >= 250


def test_every_rule_has_vulnerable_and_safe_cases() -> None:
    # The CWE list: every rule needs cases that must be found and look-alikes that
    # must not be.
    for rule in RULES:
        folder = CORPUS / rule
        cases = sorted(folder.glob("*.py"))
        wanted = f"mamori:python/{rule}"
        found = [c for c in cases if any(r == wanted for r, _ in expectations(c.read_text()))]
        assert found, f"no vulnerable case for {rule}"
        assert any(not expectations(c.read_text()) for c in cases), f"no safe case for {rule}"


@pytest.mark.parametrize("case", CASES, ids=[c.relative_to(CORPUS).as_posix() for c in CASES])
def test_case(case: Path, taint_models: Models) -> None:
    text = case.read_text()
    path = case.relative_to(CORPUS).as_posix()
    result = analyse_sources({path: text}, models=taint_models, options=NO_CACHE)
    assert not result.not_analysed
    got = {(f"mamori:python/{h.rule}", h.line) for h in result.hits}
    want = expectations(text)
    assert got == want, "\n".join(
        [f"missed: {sorted(want - got)}", f"unexpected: {sorted(got - want)}"]
        + [f"  {h.line} {h.rule}: {h.message}" for h in result.hits]
    )
