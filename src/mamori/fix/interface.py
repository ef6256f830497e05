"""The fix stage's interface: fixers that turn a finding into a patch.

A fixer is metadata (:class:`FixerInfo`) + a detector (:meth:`Fixer.applies_to`) + a transformer
(:meth:`Fixer.fix`), as in codemodder's ``BaseCodemod``. ``fix`` returns the new content of the
files it changes; the fix stage turns that into a unified diff. A fixer that cannot fix this
particular occurrence returns ``None`` (the finding then waits for a person), and never raises
for ordinary code it does not understand.

Fixers must be minimal (change as little as possible), keep formatting and comments (LibCST),
be idempotent (running twice changes nothing more) and add the imports they need.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from mamori.domain import Finding, FixerId, RiskClass
from mamori.errors import Error

__all__ = ["Declined", "FileReader", "FixError", "FixProposal", "Fixer", "FixerInfo"]

# Reads a repository-relative POSIX path from the snapshot being fixed.
FileReader = Callable[[str], str]


class FixError(Error):
    """A fixer failed unexpectedly (a bug in the fixer, not an unfixable finding)."""


@dataclass(frozen=True, kw_only=True)
class FixerInfo:
    id: FixerId  # namespaced, e.g. "mamori:fix/yaml-safe-load"
    title: str
    cwes: tuple[int, ...]
    risk: RiskClass
    risk_reason: str  # why this risk class: does it change behaviour or stored data?
    description: str  # what the fix does, for the generated docs page
    rule_ids: tuple[str, ...] = ()  # when non-empty, only these rules (in addition to the CWEs)


@dataclass(frozen=True, kw_only=True)
class FixProposal:
    """New contents of the changed files (repository-relative path -> full text)."""

    changes: Mapping[str, str]
    description: str
    # A fixer may raise the risk for this occurrence (never lower it below its declared class).
    risk: RiskClass | None = None
    risk_reason: str | None = None


@dataclass(frozen=True, kw_only=True)
class Declined:
    """The fixer recognised the occurrence but will not patch it; ``reason`` says why, for the
    person who picks the finding up (``None`` from :meth:`Fixer.fix` means "not mine")."""

    reason: str


@runtime_checkable
class Fixer(Protocol):
    info: FixerInfo

    def applies_to(self, finding: Finding) -> bool: ...

    def fix(self, finding: Finding, read: FileReader) -> FixProposal | Declined | None: ...
