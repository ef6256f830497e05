"""The inventory: which files of a repository the engines see, and which they cannot read.

Files come from ``git ls-files`` when the root is inside a git work tree (so ``.gitignore`` is
honoured, untracked-but-not-ignored files included), else from a walk of the tree. Python files
are read, decoded and parsed once here (:class:`~mamori.scan.source.SourceFile`); every file that
cannot be read, decoded or parsed is reported as :class:`~mamori.domain.NotAnalysed` with the
reason, never silently dropped, so that a scan with unreadable files is never reported as clean.
"""

from __future__ import annotations

import fnmatch
import os
import subprocess
from pathlib import Path, PurePosixPath

from mamori.domain import NotAnalysed
from mamori.errors import NotARepositoryError
from mamori.scan.interface import ScanOptions, ScanTarget
from mamori.scan.source import SourceFile

__all__ = ["ALWAYS_SKIPPED_DIRS", "build_target", "is_excluded", "list_files"]

# Directories that never hold the project's own code: VCS data, Mamori's state, virtual
# environments, installed JavaScript packages and bytecode caches.
ALWAYS_SKIPPED_DIRS = frozenset({".git", ".mamori", ".venv", "venv", "node_modules", "__pycache__"})

# git can be slow on huge repositories, but an inventory that hangs is worse than a walk.
_GIT_TIMEOUT_S = 60


def build_target(root: Path, options: ScanOptions) -> tuple[ScanTarget, list[NotAnalysed]]:
    """List, read and parse the files under ``root``.

    Returns the scan target (every listed file in ``files``; the Python files that parsed in
    ``sources``) and the files that could not be analysed, with the reason. Raises
    :class:`~mamori.errors.NotARepositoryError` when ``root`` is not an existing directory.
    """
    if not root.exists():
        raise NotARepositoryError(
            f"{root} does not exist", hint="pass the path of a repository or source directory"
        )
    if not root.is_dir():
        raise NotARepositoryError(f"{root} is not a directory")
    root = root.resolve()

    files: list[str] = []
    sources: dict[str, SourceFile] = {}
    not_analysed: list[NotAnalysed] = []
    for rel in list_files(root):
        if is_excluded(rel, options.exclude):
            continue
        full = root / rel
        if full.is_symlink():
            outside = _symlink_outside(full, root)
            if outside is not None:
                not_analysed.append(
                    NotAnalysed(
                        path=rel,
                        engine=None,
                        reason=f"symbolic link to {outside}, outside the repository root: "
                        "not followed",
                    )
                )
                continue
        if not full.is_file():
            # Tracked but deleted in the work tree, or a directory symlink listed by git.
            continue
        files.append(rel)
        if rel.endswith(".py"):
            parsed = _read_python(full, rel, options)
            if isinstance(parsed, NotAnalysed):
                not_analysed.append(parsed)
            else:
                sources[rel] = parsed

    target = ScanTarget(root=root, files=tuple(files), sources=sources, options=options)
    return target, not_analysed


def list_files(root: Path) -> list[str]:
    """The files under ``root`` (relative POSIX paths, sorted): ``git ls-files`` inside a git
    work tree (``.gitignore`` respected, untracked files included), else a walk of the tree;
    never under :data:`ALWAYS_SKIPPED_DIRS`. Listed paths may be deleted or symlinks."""
    listed = _git_files(root)
    if listed is None:
        listed = _walk_files(root)
    return sorted(rel for rel in set(listed) if not _in_skipped_dir(rel))


def is_excluded(path: str, patterns: tuple[str, ...]) -> bool:
    """True when ``path`` (repository-relative POSIX) or one of its parent directories matches
    one of the glob ``patterns`` (``fnmatch`` rules: ``*`` also matches ``/``)."""
    if not patterns:
        return False
    parts = PurePosixPath(path).parts
    candidates = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    for pattern in patterns:
        pat = pattern.strip().rstrip("/")
        if pat.startswith("./"):
            pat = pat[2:]
        if not pat:
            continue
        if any(fnmatch.fnmatchcase(c, pat) for c in candidates):
            return True
    return False


def _in_skipped_dir(rel: str) -> bool:
    # ``rel`` is a relative POSIX path as git or the walk lists it (no "." or empty parts).
    return not ALWAYS_SKIPPED_DIRS.isdisjoint(rel.split("/")[:-1])


def _git_files(root: Path) -> list[str] | None:
    """Paths from ``git ls-files`` (relative to ``root``), or None when ``root`` is not in a
    git work tree or git is unavailable (the caller then walks the tree)."""
    try:
        inside = subprocess.run(
            ["git", "rev-parse", "--is-inside-work-tree"],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=_GIT_TIMEOUT_S,
            check=False,
        )
        if inside.returncode != 0 or inside.stdout.strip() != "true":
            return None
        listed = subprocess.run(
            ["git", "ls-files", "-co", "--exclude-standard", "-z"],
            cwd=root,
            capture_output=True,
            timeout=_GIT_TIMEOUT_S,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if listed.returncode != 0:
        return None
    out = listed.stdout.decode("utf-8", errors="surrogateescape")
    return [p for p in out.split("\0") if p]


def _walk_files(root: Path) -> list[str]:
    found: list[str] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if d not in ALWAYS_SKIPPED_DIRS)
        base = Path(dirpath)
        for name in filenames:
            found.append((base / name).relative_to(root).as_posix())
        # Directory symlinks are not descended into (loops, and an inside target is walked at
        # its real path anyway); listing them lets build_target report outside targets.
        found.extend(
            (base / d).relative_to(root).as_posix() for d in dirnames if (base / d).is_symlink()
        )
    return found


def _symlink_outside(link: Path, root: Path) -> str | None:
    """The resolved target of ``link`` when it lies outside ``root``, else None."""
    try:
        target = link.resolve(strict=False)
    except (OSError, RuntimeError) as e:  # RuntimeError: a symlink loop on older Pythons
        return f"an unresolvable target ({e})"
    if target == root or root in target.parents:
        return None
    return str(target)


def _read_python(full: Path, rel: str, options: ScanOptions) -> SourceFile | NotAnalysed:
    def skipped(reason: str) -> NotAnalysed:
        return NotAnalysed(path=rel, engine=None, reason=reason)

    try:
        size = full.stat().st_size
        if size > options.max_file_bytes:
            return skipped(
                f"file is {size} bytes, over the limit of {options.max_file_bytes} bytes "
                "(config key scan.max_file_bytes)"
            )
        data = full.read_bytes()
    except OSError as e:
        return skipped(f"cannot be read: {e.strerror or e}")
    if b"\0" in data:
        return skipped("binary content (contains a NUL byte)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        return skipped(f"not UTF-8: {e}")
    try:
        return SourceFile.parse(rel, text)
    except Exception as e:
        # LibCST parses only the files ast rejects, so it is loaded by the time its error is
        # raised; importing it up front would load it for every scan.
        import libcst as cst

        if not isinstance(e, cst.ParserSyntaxError):
            raise
        return skipped(
            f"syntax error at line {e.editor_line}, column {e.editor_column}: {e.message}"
        )
