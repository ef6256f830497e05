"""Evidence-based false-positive rules.

Pattern engines flag every call of a dangerous API. Where the code itself proves that no input
can reach the call, triage dismisses the finding with the reason, and keeps it in the store. A
finding that a data-flow engine also reports (it has a flow) is never dismissed here.
"""

from __future__ import annotations

from collections.abc import Callable

import libcst as cst

from mamori.domain import Finding
from mamori.scan.source import SourceFile

FalsePositiveRule = Callable[[Finding, SourceFile], str | None]


def _calls_at(source: SourceFile, line: int) -> list[cst.Call]:
    return [
        node
        for node, pos in source.positions.items()
        if isinstance(node, cst.Call) and pos.start.line == line
    ]


def _is_constant(expr: cst.BaseExpression) -> bool:
    if isinstance(expr, cst.SimpleString):
        return True
    if isinstance(expr, cst.ConcatenatedString):
        return _is_constant(expr.left) and _is_constant(expr.right)
    if isinstance(expr, cst.List | cst.Tuple):
        return all(isinstance(el, cst.Element) and _is_constant(el.value) for el in expr.elements)
    return False


def constant_command(finding: Finding, source: SourceFile) -> str | None:
    """CWE-78 on a process call whose command is a literal: nothing external reaches it."""
    if finding.cwe != 78:
        return None
    for call in _calls_at(source, finding.location.start_line):
        if call.args and call.args[0].keyword is None and _is_constant(call.args[0].value):
            return "the command is a constant literal: no external input can reach it"
    return None


RULES: tuple[FalsePositiveRule, ...] = (constant_command,)


def dismissal_reason(finding: Finding, source: SourceFile | None) -> str | None:
    if source is None or finding.flow:
        return None
    for rule in RULES:
        reason = rule(finding, source)
        if reason:
            return f"{rule.__name__}: {reason}"
    return None
