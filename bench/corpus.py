"""The labelled corpus' header, shared by the benchmarks (tests/scan/taint/test_corpus.py reads
the same format): ``# expect: mamori:python/<rule> line=<n>`` per expected finding, or
``# expect: none``, in a case's first 30 lines."""

from __future__ import annotations

import re

EXPECT = re.compile(r"^#\s*expect:\s*(?:(none)|mamori:python/([\w-]+)\s+line=(\d+))\s*$")


def expectations(text: str) -> tuple[bool, list[tuple[str, int]]]:
    """Whether the case has a header, and its expected (rule, line) pairs."""
    found: list[tuple[str, int]] = []
    header = False
    for line in text.splitlines()[:30]:
        m = EXPECT.match(line.strip())
        if m:
            header = True
            if m.group(2):
                found.append((m.group(2), int(m.group(3))))
    return header, found
