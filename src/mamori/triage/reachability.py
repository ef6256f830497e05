"""Pattern-only findings that Mamori's dataflow engine analysed and found unreached.

A pattern engine (Bandit) flags every ``shell=True``, every string-built query, every
``pickle.loads``, whether or not untrusted input gets there. For the injection CWEs that the
dataflow (taint) engine covers, the taint engine answers the question a reviewer asks first:
can input actually reach this call? When it analysed the file in this run and reported no flow
at the call, triage marks the pattern finding with that evidence. The finding stays open, in
the store and in every report; by default it gets no automatic patch (``[fix] pattern_only``)
and waits for a person, with the reason shown.

Fail closed: the mark needs positive evidence. It is not made when the taint engine did not
run, failed, or skipped the file; when any source of the finding is not a known pattern engine
(a data-flow engine, an imported SARIF of unknown kind, an AI reviewer); when the finding has a
flow; when the taint engine reported a flow through the flagged lines or ending in the same
function, under whatever CWE (the engines label and place one defect differently: Bandit
flags the string-built query, the taint engine the ``execute`` call; Bandit calls ``eval``
CWE-78, the taint engine CWE-95; it stops at ``compile``, Bandit flags the ``exec``); when the
flagged lines use a parameter of an undecorated function that nothing in the project calls (its
caller is outside the project: ``fetch(url)``); or for CWEs
the taint engine only checks in context (weak hash, insecure random, cookie flags, hard-coded
secrets), which are not flow rules.

One context CWE has evidence of its own: a hard-coded credential (CWE-798). Bandit flags any
string bound to a name containing "token"; tokens are generated, so when the name carries no
password or secret word, Mamori's own secret rule (which checked the file) does not take the name
for a credential, and the value is a plain word (``DEFAULT_TOKEN = "books"``), the finding is
held the same way. A password name is never held this way: a weak password is still a password.

"No flow found" is evidence, not proof: the engine's sources are a deliberate under-estimate
(e.g. the parameters of a public function count as untrusted only when nothing in the project
calls a function of that name). That is why such a finding is held for a person, not dismissed.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

import libcst as cst
from libcst.metadata import CodeRange

from mamori.cstutil import storage_name
from mamori.domain import Confidence, EngineId, Finding, RawFinding, ScanReport
from mamori.scan.source import SourceFile
from mamori.scan.taint.context import SECRET_NAME, secret_confidence
from mamori.scan.taint.rules import ENGINE_ID, RULES
from mamori.scan.taint.scanner import ANALYSED_SUFFIXES

DATAFLOW_ENGINE = EngineId(ENGINE_ID)
# The CWEs the taint engine reports from a source-to-sink flow (its context rules excluded).
FLOW_CWES: frozenset[int] = frozenset(r.cwe for r in RULES.values() if r.flow)
# Engines that match code patterns without following data. Deliberately a short, explicit
# list: an engine not named here is never taken for a pattern matcher.
PATTERN_ENGINES: frozenset[EngineId] = frozenset({EngineId("bandit")})

NO_FLOW_REASON = "dataflow analysis found no path from untrusted input to this call"
# Bandit's name test for hard-coded credentials (B105-B107), and the words of it that name a
# credential whatever its value (a weak password is a password).
_BANDIT_CREDENTIAL_NAME = re.compile(r"pas+wo?r?d|pass(phrase)?|pwd|token|secrete?", re.I)
_CREDENTIAL_WORD = re.compile(r"pas+wo?r?d|pass(phrase)?|pwd|secrete?|key|auth|cred", re.I)


@dataclass(frozen=True, kw_only=True)
class DataflowCoverage:
    """What the dataflow engine established in one scan: the files it analysed completely
    (none when it did not run or failed), and where it reported flows."""

    files: frozenset[str] = frozenset()
    # Whatever the CWE (Bandit: eval is CWE-78, urlopen CWE-22; the taint engine: code
    # injection CWE-95, SSRF CWE-918): input reaching the code is what counts.
    # (path, scope) of each reported flow's sink.
    flow_scopes: frozenset[tuple[str, str]] = frozenset()
    # (path, line) of each reported flow's sink lines and steps.
    flow_lines: frozenset[tuple[str, int]] = frozenset()
    # The parsed files of the scan: to tell a call that uses what a caller passes in.
    sources: Mapping[str, SourceFile] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_scan(cls, report: ScanReport, sources: Mapping[str, SourceFile]) -> DataflowCoverage:
        """What ``report`` shows the taint engine analysed among the parsed ``sources``."""
        if DATAFLOW_ENGINE not in report.engines:
            return cls()
        skipped: set[str] = set()
        for n in report.not_analysed:
            if n.engine is not None and n.engine != DATAFLOW_ENGINE:
                continue
            if n.path == "":
                return cls()  # the whole engine failed (or no engine could read anything)
            skipped.add(n.path)
        flows = [f for f in report.findings if f.engine == DATAFLOW_ENGINE and f.flow]
        return cls(
            files=frozenset(
                p for p in sources if p.endswith(ANALYSED_SUFFIXES) and p not in skipped
            ),
            flow_scopes=frozenset((f.location.path, f.scope) for f in flows),
            flow_lines=frozenset(line for f in flows for line in _lines(f)),
            sources=sources,
        )

    @cached_property
    def uses(self) -> Counter[str]:
        """How often the project names each identifier (see :func:`_uses`)."""
        return _uses(self.sources)

    def analysed(self, path: str) -> bool:
        return path in self.files

    def flow_near(self, finding: Finding) -> bool:
        """Whether a reported flow passes through the finding's lines or ends in its function."""
        path = finding.location.path
        if (path, finding.scope) in self.flow_scopes:
            return True
        start = finding.location.start_line
        end = max(start, finding.location.end_line or start)
        return any((path, n) in self.flow_lines for n in range(start, end + 1))


def _functions(source: SourceFile) -> list[tuple[int, int, cst.FunctionDef]]:
    """(first line, last line, node) of every function of ``source``."""
    return [
        (pos.start.line, pos.end.line, node)
        for node, pos in source.positions.items()
        if isinstance(node, cst.FunctionDef)
    ]


_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_DEF = re.compile(r"\bdef\s+([A-Za-z_][A-Za-z0-9_]*)")


def _uses(sources: Mapping[str, SourceFile]) -> Counter[str]:
    """How often each identifier appears in the project, its ``def`` lines not counted: by
    name, like the dataflow engine's own test of whether the project calls a function."""
    words: Counter[str] = Counter()
    for s in sources.values():
        words.update(_WORD.findall(s.text))
        words.subtract(_DEF.findall(s.text))
    return words


def caller_controlled(
    finding: Finding,
    sources: Mapping[str, SourceFile],
    *,
    uses: Counter[str] | None = None,
) -> bool:
    """Whether the flagged lines use a parameter of an undecorated function that nothing in
    the project calls by name: the value then comes from outside the project, and the
    dataflow engine's silence says nothing (it deliberately does not treat a parameter named
    for the whole location, as in ``fetch(url)``, as a source). Decorated functions (views,
    framework callbacks) are the engine's to judge: it knows their parameters' sources."""
    source = sources.get(finding.location.path)
    if source is None:
        return True  # fail closed: without the file, no claim about it
    start = finding.location.start_line
    end = max(start, finding.location.end_line or start)
    try:
        enclosing = [(a, node) for a, b, node in _functions(source) if a <= start <= b]
    except (cst.ParserSyntaxError, RecursionError):
        return True
    if not enclosing:
        return False
    fn = max(enclosing, key=lambda e: e[0])[1]
    if fn.decorators:
        return False
    params = fn.params
    names = {
        p.name.value
        for p in (*params.posonly_params, *params.params, *params.kwonly_params)
        if p.name.value not in ("self", "cls")
    }
    for star in (params.star_arg, params.star_kwarg):
        if isinstance(star, cst.Param):
            names.add(star.name.value)
    flagged = set(_WORD.findall("\n".join(source.line(n) for n in range(start, end + 1))))
    if not names & flagged:
        return False
    counts = uses if uses is not None else _uses(sources)
    return counts[fn.name.value] <= 0


def _lines(f: RawFinding) -> list[tuple[str, int]]:
    locations = [f.location, *(step.location for step in f.flow)]
    return [
        (loc.path, n)
        for loc in locations
        for n in range(loc.start_line, max(loc.start_line, loc.end_line or 0) + 1)
    ]


def is_pattern_only(finding: Finding) -> bool:
    """Reported only by pattern engines: no flow, no dependency, every source a pattern match."""
    return (
        not finding.flow
        and finding.dependency is None
        and bool(finding.sources)
        and all(s.engine in PATTERN_ENGINES for s in finding.sources)
    )


class _NamedLiterals(cst.CSTVisitor):
    """(name, string value) of each literal bound to a name on lines ``start``..``end``: an
    assignment, a keyword argument, a parameter default, a dict entry or a comparison."""

    def __init__(self, positions: Mapping[cst.CSTNode, CodeRange], start: int, end: int) -> None:
        self.positions, self.start, self.end = positions, start, end
        self.found: list[tuple[str, str | None]] = []

    def _add(self, name: str | None, value: cst.BaseExpression | None) -> None:
        if name is None or value is None:
            return
        pos = self.positions[value]
        if not (self.start <= pos.start.line <= self.end):
            return
        text = value.evaluated_value if isinstance(value, cst.SimpleString) else None
        self.found.append((name, text if isinstance(text, str) else None))

    def visit_Assign(self, node: cst.Assign) -> None:
        for t in node.targets:
            self._add(storage_name(t.target), node.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._add(storage_name(node.target), node.value)

    def visit_Arg(self, node: cst.Arg) -> None:
        if node.keyword is not None:
            self._add(node.keyword.value, node.value)

    def visit_Param(self, node: cst.Param) -> None:
        self._add(node.name.value, node.default)

    def visit_DictElement(self, node: cst.DictElement) -> None:
        if isinstance(node.key, cst.SimpleString):
            key = node.key.evaluated_value
            self._add(key if isinstance(key, str) else None, node.value)

    def visit_Comparison(self, node: cst.Comparison) -> None:
        if len(node.comparisons) == 1:
            left, right = node.left, node.comparisons[0].comparator
            self._add(storage_name(left), right)
            self._add(storage_name(right), left)


def plain_word_token_reason(finding: Finding, source: SourceFile) -> str | None:
    """Why a pattern-only CWE-798 finding is no evidence of a credential, or None.

    Every literal flagged on the finding's lines must be bound to a name whose only credential
    word is "token" (no password, passphrase, secret, key, auth or credential word), that
    Mamori's secret rule does not take for a credential name, with a value that is a plain word
    or a placeholder rather than the shape of a generated token (``secret_confidence`` LOW)."""
    start = finding.location.start_line
    end = max(start, finding.location.end_line or start)
    try:
        visitor = _NamedLiterals(source.positions, start, end)
        source.module.visit(visitor)
    except (cst.ParserSyntaxError, RecursionError):
        return None
    flagged = [(n, v) for n, v in visitor.found if _BANDIT_CREDENTIAL_NAME.search(n)]
    if not flagged:
        return None
    for name, value in flagged:
        if _CREDENTIAL_WORD.search(name) or SECRET_NAME.search(name.replace("-", "_")):
            return None
        if value is None or secret_confidence(value) not in (None, Confidence.LOW):
            return None
    names = ", ".join(sorted({n for n, _ in flagged}))
    return (
        f"{names} holds a plain word, not the shape of a generated token, under a name that"
        " is no password, key or secret; Mamori's secret rule checked the file and does not"
        " take it for a credential"
    )


def no_flow_reason(finding: Finding, coverage: DataflowCoverage | None) -> str | None:
    """The reason to hold ``finding`` for review, or None when the evidence is not there."""
    if coverage is None or not is_pattern_only(finding):
        return None
    if finding.cwe == 798:
        source = coverage.sources.get(finding.location.path)
        if source is None or not coverage.analysed(finding.location.path):
            return None
        return plain_word_token_reason(finding, source)
    if finding.cwe not in FLOW_CWES:
        return None
    if not coverage.analysed(finding.location.path) or coverage.flow_near(finding):
        return None
    if caller_controlled(finding, coverage.sources, uses=coverage.uses):
        return None
    return NO_FLOW_REASON
