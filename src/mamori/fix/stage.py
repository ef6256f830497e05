"""The fix stage: findings in, patches (unified diffs) out.

For each finding, the applicable fixers (``applies_to``) are run in the order given until one
proposes a patch;
``builtin_fixers`` orders the installed fixers by entry-point name, so the order is stable and
documented (``mamori fixers`` lists it). A fixer that declines, or fails, leaves the finding in
``unfixable`` with the reason: the run goes on.
"""

from __future__ import annotations

import difflib
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from mamori.domain import Finding, FindingId, Patch, PatchId, RiskClass, Strategy
from mamori.fix.interface import Declined, FileReader, Fixer, FixError, FixProposal
from mamori.registry import Registry

__all__ = [
    "FixOutcome",
    "ListingReader",
    "builtin_fixers",
    "fixer_registry",
    "propose_fixes",
    "unified_diff",
]


@dataclass(frozen=True, kw_only=True)
class FixOutcome:
    patches: tuple[Patch, ...]
    unfixable: tuple[tuple[FindingId, str], ...]  # (finding id, why no patch)


class ListingReader:
    """A :data:`FileReader` that also knows the repository's file list (``paths``)."""

    def __init__(self, read: FileReader, paths: tuple[str, ...]) -> None:
        self._read = read
        self.paths = paths

    def __call__(self, path: str) -> str:
        return self._read(path)


def fixer_registry() -> Registry[Fixer]:
    return Registry[Fixer]("mamori.fixers", lambda f: f.info.id)


def builtin_fixers() -> list[Fixer]:
    """Every installed fixer (entry-point group ``mamori.fixers``), ordered by entry-point name."""
    return list(fixer_registry())


def _blob_id(text: str) -> str:
    """The git blob id of ``text`` (as git would hash the UTF-8 file)."""
    data = text.encode("utf-8")
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()


def _file_diff(path: str, old: str, new: str) -> str:
    """A ``git apply``-compatible diff of one file (``\\ No newline at end of file`` handled)."""
    old_lines = old.splitlines(keepends=True)
    new_lines = new.splitlines(keepends=True)
    # The git header records the blob ids, so that `git apply --3way` can merge a patch whose
    # context moved because another patch changed the same file first.
    out: list[str] = [
        f"diff --git a/{path} b/{path}\n",
        f"index {_blob_id(old)}..{_blob_id(new)}\n",
    ]
    for line in difflib.unified_diff(old_lines, new_lines, f"a/{path}", f"b/{path}", n=3):
        if line.startswith(("--- ", "+++ ")):
            out.append(line.rstrip("\n") + "\n")
        elif line.endswith("\n"):
            out.append(line)
        else:
            out.append(line + "\n\\ No newline at end of file\n")
    return "".join(out)


def unified_diff(read: FileReader, changes: dict[str, str]) -> str:
    """The unified diff from the current files to ``changes`` (path -> new text), paths sorted.

    A path that cannot be read is a new file (``--- /dev/null``).
    """
    parts: list[str] = []
    for path in sorted(changes):
        try:
            old = read(path)
        except (OSError, LookupError):
            old = None
        new = changes[path]
        if old is None:
            body = _file_diff(path, "", new).split("\n", 4)[4]
            parts.append(
                f"diff --git a/{path} b/{path}\nnew file mode 100644\n"
                f"--- /dev/null\n+++ b/{path}\n{body}"
            )
        else:
            parts.append(_file_diff(path, old, new))
    return "".join(parts)


def _patch_id(finding: Finding, fixer_id: str, diff: str) -> PatchId:
    material = f"{finding.fingerprint}\x1f{fixer_id}\x1f{diff}".encode()
    return PatchId("P-" + hashlib.sha256(material).hexdigest()[:12])


def _risk(fixer: Fixer, proposal: FixProposal) -> tuple[RiskClass, str]:
    declared = fixer.info.risk
    if proposal.risk is not None and proposal.risk.rank > declared.rank:
        return proposal.risk, proposal.risk_reason or fixer.info.risk_reason
    return declared, fixer.info.risk_reason


def _try(fixer: Fixer, finding: Finding, read: FileReader) -> tuple[FixProposal, str] | str:
    """The proposal and its diff, or why there is none."""
    fid = fixer.info.id
    try:
        proposal = fixer.fix(finding, read)
    except FixError as e:
        return f"fixer {fid} failed: {e.message}"
    except Exception as e:  # a bug in one fixer must not stop the run; it is recorded
        return f"fixer {fid} failed: {type(e).__name__}: {e}"
    if proposal is None:
        return f"fixer {fid} declined: occurrence not safely fixable"
    if isinstance(proposal, Declined):
        return f"fixer {fid} declined: {proposal.reason}"
    try:
        diff = unified_diff(read, dict(proposal.changes))
    except Exception as e:  # same as above: the reader failed for this finding only
        return f"fixer {fid} failed: {type(e).__name__}: {e}"
    if not diff:
        return f"fixer {fid} declined: the change is empty"
    return proposal, diff


def _first_proposal(
    finding: Finding, read: FileReader, fixers: Sequence[Fixer]
) -> tuple[Fixer, FixProposal, str] | str:
    """The first applicable fixer that proposes a patch; else every fixer's reason, joined.

    Several fixers may cover one CWE (502: YAML and pickle), each declining what is not its own.
    """
    reasons: list[str] = []
    for fixer in fixers:
        if not fixer.applies_to(finding):
            continue
        result = _try(fixer, finding, read)
        if isinstance(result, str):
            reasons.append(result)
            continue
        return fixer, result[0], result[1]
    if not reasons:
        return f"no fixer for CWE-{finding.cwe}"
    # A specific reason (a fixer that recognised the code) is worth more than "not mine".
    specific = [r for r in reasons if not r.endswith("occurrence not safely fixable")]
    return "; ".join(specific or reasons)


def propose_fixes(
    findings: Sequence[Finding],
    *,
    read: FileReader,
    fixers: Sequence[Fixer],
    requested_by: str,
    files: Sequence[str] = (),
) -> FixOutcome:
    """Run the first applicable fixer on each finding and build its patch.

    ``files`` (the repository's paths, optional) lets fixers that change callers in other
    modules (the password-hash fix) find them; they see it as ``read.paths``.
    """
    if files:
        read = ListingReader(read, tuple(files))
    patches: list[Patch] = []
    unfixable: list[tuple[FindingId, str]] = []
    for finding in findings:
        found = _first_proposal(finding, read, fixers)
        if isinstance(found, str):
            unfixable.append((finding.id, found))
            continue
        fixer, proposal, diff = found
        fid = fixer.info.id
        risk, reason = _risk(fixer, proposal)
        patches.append(
            Patch(
                id=_patch_id(finding, fid, diff),
                finding_id=finding.id,
                fixer_id=fid,
                strategy=Strategy.DETERMINISTIC,
                risk=risk,
                risk_reason=reason,
                description=proposal.description,
                diff=diff,
                files=tuple(sorted(proposal.changes)),
                requested_by=requested_by,
            )
        )
    return FixOutcome(patches=tuple(patches), unfixable=tuple(unfixable))
