"""The AI review engine (engine id ``ai``): a model reviews entry points and changed code.

It is not an entry-point plugin: it needs the configured gateway, so the pipeline adds it to the
scan only when ``[ai]`` has a usable backend. For each selected file Mamori gathers call-chain
context the way vulnhuntr does, by symbol look-ups: the definitions (in other files) of the
functions the file calls, and of the functions those call, to a bounded depth and size. The
model's findings enter triage as engine ``ai``, trusted no more than any other engine: they are
de-duplicated, triaged, prioritised, and any patch for them is verified and gated the same way.

A file the model could not review (routing refusal, budget, malformed answers, backend errors)
is reported as not analysed by ``ai``, never as clean.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from mamori.ai.gateway import Gateway
from mamori.ai.interface import AIError, BudgetExceededError
from mamori.ai.prompts import REVIEW, user_message
from mamori.domain import Confidence, EngineId, NotAnalysed, RawFinding, ScanReport, Severity
from mamori.scan.interface import ScanTarget
from mamori.scan.source import SourceFile, make_finding

ENGINE_ID = EngineId("ai")

_ENTRY_DECORATORS = {"route", "get", "post", "put", "patch", "delete", "websocket", "command"}
_ENTRY_NAMES = {
    "request",
    "sys.argv",
    "input",
    "argparse",
    "environ",
    "os.environ",
    "getenv",
    "os.getenv",
    "sys.stdin",
}


@dataclass(frozen=True, kw_only=True)
class AIReviewOptions:
    max_files: int = 20
    max_file_chars: int = 30_000
    context_depth: int = 2  # call-chain levels of definitions to include
    max_context_chars: int = 20_000
    changed: tuple[str, ...] = ()  # files changed since the last run: reviewed first


@dataclass(frozen=True, kw_only=True)
class _Def:
    path: str
    name: str
    text: str
    calls: frozenset[str]


def _called_names(node: ast.AST) -> frozenset[str]:
    names: set[str] = set()
    for n in ast.walk(node):
        if isinstance(n, ast.Call):
            if isinstance(n.func, ast.Name):
                names.add(n.func.id)
            elif isinstance(n.func, ast.Attribute):
                names.add(n.func.attr)
    return frozenset(names)


def _index(sources: Mapping[str, SourceFile]) -> dict[str, list[_Def]]:
    """Function name -> its definitions across the repository (the symbol table)."""
    index: dict[str, list[_Def]] = {}
    for path, src in sources.items():
        try:
            tree = ast.parse(src.text)
        except (SyntaxError, ValueError):
            continue  # newer syntax than this interpreter: no context from this file
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                text = ast.get_source_segment(src.text, node) or ""
                index.setdefault(node.name, []).append(
                    _Def(path=path, name=node.name, text=text, calls=_called_names(node))
                )
    return index


def is_entry_point(src: SourceFile) -> bool:
    """Request handlers, CLI commands and code reading untrusted input."""
    try:
        tree = ast.parse(src.text)
    except (SyntaxError, ValueError):
        return False
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for dec in node.decorator_list:
                target = dec.func if isinstance(dec, ast.Call) else dec
                name = (
                    target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
                )
                if name in _ENTRY_DECORATORS:
                    return True
        if isinstance(node, ast.Name) and node.id in _ENTRY_NAMES:
            return True
        if isinstance(node, ast.Attribute) and ast.unparse(node) in _ENTRY_NAMES:
            return True
    return False


def call_chain_context(
    path: str,
    sources: Mapping[str, SourceFile],
    index: Mapping[str, Sequence[_Def]],
    *,
    depth: int,
    max_chars: int,
) -> list[_Def]:
    """Definitions in other files of what ``path`` calls, breadth first, bounded."""
    try:
        frontier = set(_called_names(ast.parse(sources[path].text)))
    except (SyntaxError, ValueError):
        return []
    seen: set[tuple[str, str]] = set()
    out: list[_Def] = []
    size = 0
    for _ in range(depth):
        nxt: set[str] = set()
        for name in sorted(frontier):
            for d in index.get(name, ()):
                if d.path == path or (d.path, d.name) in seen:
                    continue
                if size + len(d.text) > max_chars:
                    return out
                seen.add((d.path, d.name))
                out.append(d)
                size += len(d.text)
                nxt |= d.calls
        frontier = nxt
    return out


def _severity(value: object) -> Severity:
    try:
        return Severity.parse(str(value))
    except ValueError:
        return Severity.MEDIUM


def _confidence(value: float) -> Confidence:
    if value >= 0.8:
        return Confidence.HIGH
    if value >= 0.5:
        return Confidence.MEDIUM
    return Confidence.LOW


class AIReviewScanner:
    id = ENGINE_ID
    description = "AI review of entry points and changed code, with call-chain context"

    def __init__(self, gateway: Gateway, options: AIReviewOptions = AIReviewOptions()) -> None:
        self.gateway = gateway
        self.options = options

    def select(self, target: ScanTarget) -> list[str]:
        changed = [p for p in self.options.changed if p in target.sources]
        entry = sorted(p for p, s in target.sources.items() if is_entry_point(s))
        ordered = list(dict.fromkeys([*changed, *entry]))
        return ordered[: self.options.max_files]

    def scan(self, target: ScanTarget) -> ScanReport:
        index = _index(target.sources)
        findings: list[RawFinding] = []
        not_analysed: list[NotAnalysed] = []
        stop: str | None = None
        selected = self.select(target)
        for path in selected:
            if stop is not None:
                not_analysed.append(NotAnalysed(path=path, engine=self.id, reason=stop))
                continue
            src = target.sources[path]
            if len(src.text) > self.options.max_file_chars:
                not_analysed.append(
                    NotAnalysed(
                        path=path,
                        engine=self.id,
                        reason=f"larger than {self.options.max_file_chars} characters",
                    )
                )
                continue
            context = call_chain_context(
                path,
                target.sources,
                index,
                depth=self.options.context_depth,
                max_chars=self.options.max_context_chars,
            )
            # Context from paths that may never leave is left out; the target itself is not.
            context = [d for d in context if not self.gateway.router.is_never(d.path)]
            numbered = "\n".join(f"{n:5d}  {line}" for n, line in enumerate(src.lines, 1))
            blocks = [(f"target {path}", numbered)] + [
                (f"context {d.path}::{d.name}", d.text) for d in context
            ]
            intro = (
                f"Review the target file {path} (line numbers on the left). "
                f"{len(context)} definitions of functions on its call chains follow as context."
            )
            try:
                result = self.gateway.call(
                    REVIEW,
                    paths=[path, *dict.fromkeys(d.path for d in context)],
                    user=user_message(intro, blocks),
                    subject=path,
                )
            except BudgetExceededError as e:
                stop = f"AI review stopped: {e.message}"
                not_analysed.append(NotAnalysed(path=path, engine=self.id, reason=stop))
                continue
            except AIError as e:
                not_analysed.append(
                    NotAnalysed(path=path, engine=self.id, reason=f"AI review failed: {e.message}")
                )
                continue
            findings.extend(self._findings(path, src, result.output["findings"], result.model))
        return ScanReport(
            findings=tuple(findings),
            not_analysed=tuple(not_analysed),
            engines=(self.id,),
            files_scanned=len(selected),
        )

    def _findings(
        self, path: str, src: SourceFile, items: Iterable[Mapping[str, object]], model: str
    ) -> list[RawFinding]:
        out: list[RawFinding] = []
        for item in items:
            line = int(str(item["line"]))
            if not 1 <= line <= len(src.lines):
                continue  # a location outside the file is not a finding anyone can act on
            cwe = int(str(item["cwe"]))
            confidence = float(str(item["confidence"]))
            raw = make_finding(
                source=src,
                path=path,
                line=line,
                rule_id=f"ai:CWE-{cwe}",
                engine=self.id,
                cwe=cwe,
                message=f"{str(item['title'])[:200]} (AI review, confidence {confidence:.2f})",
                severity=_severity(item.get("severity", "medium")),
                confidence=_confidence(confidence),
            )
            out.append(raw)
            self.gateway.store.record(
                "ai.review.finding",
                actor=f"ai:{model}",
                run_id=self.gateway.options.run_id,
                subject=raw.fingerprint,
                payload={
                    "path": path,
                    "line": line,
                    "cwe": cwe,
                    "confidence": confidence,
                    # Evidence for the person who triages it; no stage decides on this text.
                    "reasoning": str(item["reasoning"])[:4000],
                    "poc": str(item["poc"])[:2000],
                },
            )
        return out
