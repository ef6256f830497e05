"""The labelled corpus: every case states its expected findings in its first lines.

``# expect: mamori:python/<rule> line=<n>`` (one per expected finding) or ``# expect: none``.
The engine must report exactly those (rule, line) pairs for the case file, nothing more.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mamori.scan.taint import Models, analyse_sources

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
EXPECT = re.compile(r"^#\s*expect:\s*(?:(none)|(mamori:python/[\w-]+)\s+line=(\d+))\s*$")
CASES = sorted(CORPUS.rglob("*.py"))


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
    assert len(CASES) >= 60
    vulnerable = [c for c in CASES if expectations(c.read_text())]
    assert len(vulnerable) >= 25
    assert len(CASES) - len(vulnerable) >= 25


@pytest.mark.parametrize("case", CASES, ids=[c.relative_to(CORPUS).as_posix() for c in CASES])
def test_case(case: Path, taint_models: Models) -> None:
    text = case.read_text()
    path = case.relative_to(CORPUS).as_posix()
    result = analyse_sources({path: text}, models=taint_models)
    assert not result.not_analysed
    got = {(f"mamori:python/{h.rule}", h.line) for h in result.hits}
    want = expectations(text)
    assert got == want, "\n".join(
        [f"missed: {sorted(want - got)}", f"unexpected: {sorted(got - want)}"]
        + [f"  {h.line} {h.rule}: {h.message}" for h in result.hits]
    )
