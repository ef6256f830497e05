"""Inline suppressions: ``# mamori: ignore[RULE] reason``.

``RULE`` is a full rule id (``bandit:B608``), a rule id without its namespace (``B608``,
``python/sql-injection``), a CWE (``CWE-89``) or ``*``; several may be separated by commas. The
comment applies to its own line or, alone on a line, to the next line. A suppression needs a
reason: one without is ignored and reported, because an unexplained suppression is exactly what
an auditor will ask about.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from mamori.domain import Finding, Location, Suppression

_PATTERN = re.compile(r"#\s*mamori:\s*ignore\[(?P<rules>[^\]]*)\]\s*(?P<reason>.*)$")


@dataclass(frozen=True, kw_only=True)
class _Comment:
    rules: tuple[str, ...]
    reason: str
    line: int
    standalone: bool


def parse_line(text: str, lineno: int) -> _Comment | None:
    m = _PATTERN.search(text)
    if m is None:
        return None
    rules = tuple(r.strip() for r in m.group("rules").split(",") if r.strip())
    reason = m.group("reason").strip().lstrip("-—:").strip()
    standalone = text[: m.start()].strip() == ""
    return _Comment(rules=rules, reason=reason, line=lineno, standalone=standalone)


def _matches(rule: str, finding: Finding) -> bool:
    rule_l = rule.lower()
    if rule_l == "*":
        return True
    if rule_l.startswith("cwe-"):
        return rule_l == f"cwe-{finding.cwe}"
    for source in finding.sources:
        rid = source.rule_id.lower()
        if rid == rule_l or rid.split(":", 1)[-1] == rule_l:
            return True
    return False


def find_suppression(
    finding: Finding, line_of: Callable[[int], str]
) -> tuple[Suppression | None, str | None]:
    """The suppression that covers ``finding``, or a note when one without a reason was found.

    ``line_of(n)`` returns the text of line ``n`` of the finding's file ("" when absent).
    """
    start = finding.location.start_line
    end = finding.location.end_line or start
    candidates: list[_Comment] = []
    for n in range(start, end + 1):
        c = parse_line(line_of(n), n)
        if c is not None:
            candidates.append(c)
    # A comment alone on the line just above the finding (skipping other comment lines).
    n = start - 1
    while n >= 1:
        text = line_of(n)
        if not text.strip().startswith("#"):
            break
        c = parse_line(text, n)
        if c is not None and c.standalone:
            candidates.append(c)
        n -= 1
    note = None
    for c in candidates:
        if not any(_matches(r, finding) for r in c.rules):
            continue
        if not c.reason:
            note = (
                f"{finding.location.path}:{c.line}: suppression without a reason ignored "
                f"(write: # mamori: ignore[{', '.join(c.rules)}] <why it is safe>)"
            )
            continue
        return (
            Suppression(
                rule=",".join(c.rules),
                reason=c.reason,
                location=Location(path=finding.location.path, start_line=c.line),
            ),
            None,
        )
    return None, note
