"""A Python source file, read and parsed once, shared by every engine and fixer.

Parsing checks syntax with the interpreter's ``ast`` (its tree feeds the taint engine) and uses
LibCST's native parser, which knows newer Python syntax (3.12 f-strings, 3.13) than the
interpreter Mamori runs on may, for files ``ast`` rejects and, lazily, for fixers. The scope
map (line -> qualified name of the innermost function or class) feeds fingerprints.
"""

from __future__ import annotations

import ast
import warnings
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from mamori.domain import (
    Confidence,
    DependencyRef,
    EngineId,
    FlowStep,
    Location,
    RawFinding,
    RuleId,
    Severity,
)
from mamori.fingerprint import fingerprint, normalise_line

if TYPE_CHECKING:
    # Imported where it is used: a scan whose files all parse with ``ast`` (the taint engine's
    # re-scans) never needs LibCST, and importing it costs a tenth of a second.
    from collections.abc import Mapping

    import libcst as cst
    from libcst.metadata import CodeRange


@dataclass(eq=False, kw_only=True)
class SourceFile:
    path: str  # repository-relative POSIX path
    text: str
    _module: cst.Module | None = field(default=None, repr=False)
    _tree: ast.Module | None = field(default=None, repr=False)

    @classmethod
    def parse(cls, path: str, text: str) -> SourceFile:
        """Parse ``text``; raises :class:`libcst.ParserSyntaxError` when it is not valid Python.

        The interpreter's :mod:`ast` parses first (several times faster than LibCST, and the
        taint engine analyses that tree, so the file is parsed once); LibCST parses right away
        only the files ``ast`` rejects (syntax newer than this interpreter, or invalid), and the
        others on first use of :attr:`module`.
        """
        try:
            with warnings.catch_warnings():
                # Invalid escape sequences in scanned code are not Mamori's warnings to show.
                warnings.simplefilter("ignore", SyntaxWarning)
                tree = ast.parse(text, filename=path)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            import libcst as cst

            return cls(path=path, text=text, _module=cst.parse_module(text))
        return cls(path=path, text=text, _tree=tree)

    @property
    def tree(self) -> ast.Module | None:
        """The interpreter's ``ast`` tree when :meth:`parse` produced one (else None)."""
        return self._tree

    @property
    def module(self) -> cst.Module:
        if self._module is None:
            import libcst as cst

            self._module = cst.parse_module(self.text)
        return self._module

    @cached_property
    def lines(self) -> list[str]:
        return self.text.splitlines()

    def line(self, lineno: int) -> str:
        """The text of 1-based line ``lineno`` ("" when out of range)."""
        if 1 <= lineno <= len(self.lines):
            return self.lines[lineno - 1]
        return ""

    @cached_property
    def positions(self) -> Mapping[cst.CSTNode, CodeRange]:
        """Where each node of :attr:`module` is (LibCST positions), resolved once per file for
        every engine, triage rule and fixer that asks."""
        from libcst.metadata import MetadataWrapper, PositionProvider

        return MetadataWrapper(self.module, unsafe_skip_copy=True).resolve(PositionProvider)

    @cached_property
    def _scopes(self) -> list[tuple[int, int, str]]:
        """(start, end, qualname) for every function and class, outermost first."""
        import libcst as cst

        positions = self.positions
        spans: list[tuple[int, int, str]] = []

        class Visitor(cst.CSTVisitor):
            def __init__(self) -> None:
                self.stack: list[str] = []

            def _enter(self, node: cst.FunctionDef | cst.ClassDef) -> None:
                self.stack.append(node.name.value)
                pos = positions[node]
                spans.append((pos.start.line, pos.end.line, ".".join(self.stack)))

            def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
                self._enter(node)

            def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
                self.stack.pop()

            def visit_ClassDef(self, node: cst.ClassDef) -> None:
                self._enter(node)

            def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
                self.stack.pop()

        self.module.visit(Visitor())
        return spans

    def scope_at(self, lineno: int) -> str:
        """Qualified name of the innermost function or class containing ``lineno``."""
        best = ""
        best_start = -1
        for start, end, name in self._scopes:
            if start <= lineno <= end and start >= best_start:
                best, best_start = name, start
        return best

    def occurrence(self, lineno: int) -> int:
        """How many earlier lines in the same scope have the same normalised text."""
        scope = self.scope_at(lineno)
        target = normalise_line(self.line(lineno))
        count = 0
        for n in range(1, lineno):
            if normalise_line(self.line(n)) == target and self.scope_at(n) == scope:
                count += 1
        return count


def make_finding(
    *,
    source: SourceFile | None,
    path: str,
    line: int,
    rule_id: str,
    engine: str,
    cwe: int,
    message: str,
    severity: Severity,
    confidence: Confidence,
    end_line: int | None = None,
    column: int | None = None,
    snippet: str | None = None,
    flow: tuple[FlowStep, ...] = (),
    dependency: DependencyRef | None = None,
    help_uri: str | None = None,
    line_text: str | None = None,
) -> RawFinding:
    """Build a :class:`RawFinding` with its scope and fingerprint computed the one shared way.

    ``source`` is the parsed file for Python code (None for manifests and other files, in which
    case ``line_text`` or ``snippet`` stands in for the line's text and the scope is empty).
    """
    if source is not None:
        text = source.line(line)
        scope = source.scope_at(line)
        occurrence = source.occurrence(line)
        if snippet is None:
            last = end_line if end_line and end_line >= line else line
            snippet = "\n".join(source.line(n) for n in range(line, min(last, line + 4) + 1))
    else:
        text = line_text if line_text is not None else (snippet or "")
        scope = ""
        occurrence = 0
    return RawFinding(
        rule_id=RuleId(rule_id),
        engine=EngineId(engine),
        cwe=cwe,
        message=message,
        location=Location(path=path, start_line=line, end_line=end_line, start_col=column),
        snippet=snippet or "",
        severity=severity,
        confidence=confidence,
        fingerprint=fingerprint(
            cwe=cwe, path=path, scope=scope, line_text=text, occurrence=occurrence
        ),
        scope=scope,
        flow=flow,
        dependency=dependency,
        help_uri=help_uri,
    )
