"""AI patches: for findings no deterministic fixer handles, ask a model for a unified diff.

The model's diff is never trusted: before it becomes a :class:`~mamori.domain.Patch` it must

* touch only the finding's own files (its location and the files on its flow);
* not touch tests, CI configuration or dependency manifests;
* not add network, process or dynamic-code calls (counted per call kind: a line may keep a call
  that was already there, e.g. a ``subprocess.run`` whose ``shell=True`` is removed);
* apply to the current file by its context lines (hunk line numbers are not trusted).

A rejected diff never reaches verification; the reason is recorded. An accepted one is rebuilt
with Mamori's own diff writer (so ``git apply`` accepts it) and then goes through exactly the
same four checks and the same gate as a deterministic patch. The patch's description is Mamori's
text, not the model's: the gate and the commit message never carry model prose. AI patches are
``risk=medium`` (the model may change behaviour in ways no check sees), so the default policy
sends every one of them to a person.
"""

from __future__ import annotations

import fnmatch
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass

from mamori.ai.gateway import Gateway
from mamori.ai.interface import AIError
from mamori.ai.prompts import PATCH, user_message
from mamori.ai.redaction import PLACEHOLDER
from mamori.domain import Finding, FindingId, FixerId, Patch, PatchId, RiskClass, Strategy
from mamori.fix.interface import FileReader
from mamori.fix.stage import FixOutcome, unified_diff
from mamori.gitutil import changed_files

AI_FIXER_ID = FixerId("mamori:fix/ai")
AI_RISK_REASON = "written by a model: behaviour may change in ways the checks do not see"

# Never changed by an AI patch, even when the finding is in one of them.
PROTECTED_GLOBS: tuple[tuple[str, str], ...] = (
    ("tests/*", "tests"),
    ("test/*", "tests"),
    ("*/tests/*", "tests"),
    ("*/test/*", "tests"),
    ("test_*.py", "tests"),
    ("*/test_*.py", "tests"),
    ("*_test.py", "tests"),
    ("conftest.py", "tests"),
    ("*/conftest.py", "tests"),
    (".github/*", "CI configuration"),
    (".gitlab-ci.yml", "CI configuration"),
    (".gitlab/*", "CI configuration"),
    (".circleci/*", "CI configuration"),
    ("Jenkinsfile", "CI configuration"),
    ("azure-pipelines.yml", "CI configuration"),
    (".pre-commit-config.yaml", "CI configuration"),
    ("tox.ini", "CI configuration"),
    ("noxfile.py", "CI configuration"),
    ("Makefile", "CI configuration"),
    ("requirements*.txt", "dependency manifest"),
    ("*/requirements*.txt", "dependency manifest"),
    ("constraints*.txt", "dependency manifest"),
    ("pyproject.toml", "dependency manifest"),
    ("*/pyproject.toml", "dependency manifest"),
    ("setup.py", "dependency manifest"),
    ("setup.cfg", "dependency manifest"),
    ("Pipfile", "dependency manifest"),
    ("Pipfile.lock", "dependency manifest"),
    ("poetry.lock", "dependency manifest"),
    ("uv.lock", "dependency manifest"),
    ("package.json", "dependency manifest"),
    ("package-lock.json", "dependency manifest"),
    ("mamori.toml", "Mamori configuration"),
)

# Call kinds an AI patch may not add. Counted in removed vs added lines per file.
FORBIDDEN_CALLS: tuple[tuple[str, str, re.Pattern[str]], ...] = tuple(
    (kind, name, re.compile(rx))
    for kind, name, rx in (
        ("network", "socket", r"\bsocket\b"),
        ("network", "requests", r"\brequests\s*\.\s*\w+\s*\("),
        ("network", "urllib", r"\burllib\b|\burlopen\s*\("),
        ("network", "http.client", r"\bhttp\.client\b|\bHTTPS?Connection\b"),
        ("network", "httpx/aiohttp", r"\bhttpx\b|\baiohttp\b"),
        ("network", "ftp/smtp/telnet", r"\b(?:ftplib|smtplib|telnetlib|paramiko)\b"),
        ("process", "subprocess", r"\bsubprocess\b"),
        (
            "process",
            "os.system/popen/exec/spawn",
            r"\bos\s*\.\s*(?:system|popen|exec\w*|spawn\w*|fork)\b",
        ),
        ("process", "pty/multiprocessing", r"\b(?:pty|multiprocessing)\b"),
        ("dynamic code", "eval", r"(?<![\w.])eval\s*\("),
        ("dynamic code", "exec", r"(?<![\w.])exec\s*\("),
        ("dynamic code", "compile", r"(?<![\w.])compile\s*\("),
        ("dynamic code", "__import__/importlib", r"\b__import__\b|\bimportlib\b"),
        ("dynamic code", "pickle/marshal loads", r"\b(?:pickle|marshal|dill)\s*\.\s*loads?\b"),
        ("dynamic code", "ctypes", r"\bctypes\b"),
        ("dynamic code", "builtins", r"\b__builtins__\b|\bbuiltins\b"),
    )
)


@dataclass(frozen=True, kw_only=True)
class _Hunk:
    old_start: int
    old: tuple[str, ...]
    new: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class _FileDiff:
    path: str
    hunks: tuple[_Hunk, ...]
    added: tuple[str, ...]
    removed: tuple[str, ...]


class DiffRejectedError(AIError):
    """The model's diff broke a rule; it is not verified."""


_HUNK_HEAD = re.compile(r"^@@ -(\d+)(?:,\d+)? \+\d+(?:,\d+)? @@")


def _strip(path: str) -> str:
    path = path.split("\t", 1)[0].strip()
    return path[2:] if path.startswith(("a/", "b/")) else path


def parse_diff(diff: str) -> list[_FileDiff]:
    """A lenient reader of a model's unified diff (hunk lengths are not trusted)."""
    files: list[_FileDiff] = []
    path: str | None = None
    hunks: list[_Hunk] = []
    cur: tuple[int, list[str], list[str]] | None = None
    added: list[str] = []
    removed: list[str] = []

    def close_hunk() -> None:
        nonlocal cur
        if cur is not None:
            hunks.append(_Hunk(old_start=cur[0], old=tuple(cur[1]), new=tuple(cur[2])))
            cur = None

    def close_file() -> None:
        nonlocal hunks, added, removed
        close_hunk()
        if path is not None:
            files.append(
                _FileDiff(path=path, hunks=tuple(hunks), added=tuple(added), removed=tuple(removed))
            )
        hunks, added, removed = [], [], []

    # Trailing blank lines would read as empty context lines of the last hunk.
    lines = diff.rstrip().splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("--- ") and i + 1 < len(lines) and lines[i + 1].startswith("+++ "):
            close_file()
            old, new = _strip(line[4:]), _strip(lines[i + 1][4:])
            if old == "/dev/null" or new == "/dev/null":
                raise DiffRejectedError("the diff creates or deletes a file")
            if old != new:
                raise DiffRejectedError(f"the diff renames {old} to {new}")
            path = new
            i += 2
            continue
        if line.startswith("diff --git ") or line.startswith(
            ("index ", "new file", "deleted file")
        ):
            i += 1
            continue
        m = _HUNK_HEAD.match(line)
        if m:
            if path is None:
                raise DiffRejectedError("a hunk comes before any file header")
            close_hunk()
            cur = (int(m.group(1)), [], [])
        elif cur is not None and (line[:1] in (" ", "-", "+") or line == ""):
            body = line[1:]
            if line[:1] in (" ", ""):
                cur[1].append(body)
                cur[2].append(body)
            elif line[0] == "-":
                cur[1].append(body)
                removed.append(body)
            else:
                cur[2].append(body)
                added.append(body)
        elif line.startswith("\\"):
            pass  # "\ No newline at end of file": the file's own ending is kept
        elif line.strip() and path is not None:
            # Text before the first file header is ignored (models like to introduce a diff);
            # anything unexpected inside the diff rejects it.
            raise DiffRejectedError(f"unexpected line in the diff: {line[:80]!r}")
        i += 1
    close_file()
    if not files or not any(f.hunks for f in files):
        raise DiffRejectedError("the answer holds no unified diff")
    return files


def check_diff(diff: str, allowed: Sequence[str]) -> list[_FileDiff]:
    """Parse and check a diff; raises :class:`DiffRejectedError` with the reason."""
    parsed = parse_diff(diff)
    touched = list(dict.fromkeys([*changed_files(diff), *(f.path for f in parsed)]))
    for path in touched:
        for glob, what in PROTECTED_GLOBS:
            if fnmatch.fnmatch(path, glob):
                raise DiffRejectedError(f"the diff touches {what} ({path})")
        if path not in allowed:
            raise DiffRejectedError(
                f"the diff touches {path}, outside the finding's files ({', '.join(allowed)})"
            )
    for f in parsed:
        for kind, name, rx in FORBIDDEN_CALLS:
            before = sum(len(rx.findall(x)) for x in f.removed)
            after = sum(len(rx.findall(x)) for x in f.added)
            if after > before:
                raise DiffRejectedError(f"the diff adds a {kind} call ({name}) in {f.path}")
    return parsed


def _matches(bare: list[str], old: list[str], pos: int, *, loose: bool) -> list[int]:
    def norm(x: str) -> str:
        return x.rstrip() if loose else x

    want = [norm(x) for x in old]
    return [
        s
        for s in range(pos, len(bare) - len(old) + 1)
        if [norm(x) for x in bare[s : s + len(old)]] == want
    ]


def apply_hunks(text: str, hunks: Sequence[_Hunk]) -> str:
    """Apply hunks by their context (the match nearest the stated line), in order."""
    lines = text.splitlines(keepends=True)
    newline = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
    bare = [x.rstrip("\r\n") for x in lines]
    pos = 0
    for n, hunk in enumerate(hunks, 1):
        old, new = list(hunk.old), list(hunk.new)
        if not any(x.strip() for x in old):
            raise DiffRejectedError(f"hunk {n} has no context to place it by")
        starts = _matches(bare, old, pos, loose=False) or _matches(bare, old, pos, loose=True)
        if not starts:
            raise DiffRejectedError(f"hunk {n} does not match the file's current text")
        start = min(starts, key=lambda s: abs(s + 1 - hunk.old_start))
        bare[start : start + len(old)] = new
        pos = start + len(new)
    out = newline.join(bare)
    return out + newline if text.endswith(("\n", "\r")) else out


def _patch_id(finding: Finding, diff: str) -> PatchId:
    material = f"{finding.fingerprint}\x1f{AI_FIXER_ID}\x1f{diff}".encode()
    return PatchId("P-" + hashlib.sha256(material).hexdigest()[:12])


def finding_files(finding: Finding) -> list[str]:
    return list(dict.fromkeys([finding.location.path, *(s.location.path for s in finding.flow)]))


def _context(finding: Finding, files: dict[str, str]) -> str:
    flow = "\n".join(f"  {s.location}: {s.message}" for s in finding.flow) or "  (none)"
    return (
        f"Fix this finding.\nRule: {finding.rule_id} (CWE-{finding.cwe})\n"
        f"Location: {finding.location} in {finding.scope or 'module level'}\n"
        f"Flow:\n{flow}\nThe current text of the finding's files follows as data."
    )


def propose_ai_patches(
    findings: Sequence[Finding],
    *,
    gateway: Gateway,
    read: FileReader,
    requested_by: str,
) -> FixOutcome:
    """One model call per finding; every diff is checked before it becomes a patch."""
    patches: list[Patch] = []
    unfixable: list[tuple[FindingId, str]] = []
    for finding in findings:
        allowed = finding_files(finding)
        try:
            files = {p: read(p) for p in allowed}
        except (OSError, LookupError) as e:
            unfixable.append((finding.id, f"AI patch: cannot read the finding's files: {e}"))
            continue
        try:
            result = gateway.call(
                PATCH,
                paths=allowed,
                user=user_message(_context(finding, files), [(p, t) for p, t in files.items()]),
                subject=finding.id,
            )
            diff = result.redactor.restore(str(result.output["diff"]))
            parsed = check_diff(diff, allowed)
            for f in parsed:
                invented = [m for line in f.added for m in PLACEHOLDER.findall(line)]
                if invented:
                    # Not one Mamori issued (those were restored): the patch would write it.
                    raise DiffRejectedError(
                        f"the diff writes a redaction placeholder Mamori did not issue "
                        f"({invented[0]}) in {f.path}"
                    )
            changes = {f.path: apply_hunks(files[f.path], f.hunks) for f in parsed}
        except DiffRejectedError as e:
            gateway.store.record(
                "ai.patch.rejected",
                actor=str(AI_FIXER_ID),
                run_id=gateway.options.run_id,
                subject=finding.id,
                payload={"reason": e.message},
            )
            unfixable.append((finding.id, f"AI patch rejected before verification: {e.message}"))
            continue
        except AIError as e:
            unfixable.append((finding.id, f"AI patch failed: {e.message}"))
            continue
        diff = unified_diff(read, {p: t for p, t in changes.items() if t != files[p]})
        if not diff:
            unfixable.append((finding.id, "AI patch: the diff changes nothing"))
            continue
        patches.append(
            Patch(
                id=_patch_id(finding, diff),
                finding_id=finding.id,
                fixer_id=AI_FIXER_ID,
                strategy=Strategy.AI,
                risk=RiskClass.MEDIUM,
                risk_reason=AI_RISK_REASON,
                description=(
                    f"AI-proposed fix for CWE-{finding.cwe} at {finding.location} "
                    f"({result.backend}:{result.model})"
                ),
                diff=diff,
                files=tuple(sorted(p for p in changes if changes[p] != files[p])),
                requested_by=requested_by,
            )
        )
    return FixOutcome(patches=tuple(patches), unfixable=tuple(unfixable))
