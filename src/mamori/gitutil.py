"""Low-level git helpers shared by verification and delivery.

Every call runs the ``git`` binary with a list of arguments (never a shell) and with settings
that keep the target repository's own machinery out of the way: no hooks (a repository's
``post-checkout`` hook would otherwise run when Mamori creates a worktree), no commit signing
prompts, no fsmonitor daemon. ``GIT_*`` variables inherited from the caller are dropped so that
running Mamori from inside a git hook cannot redirect it to another repository or index.

Worktrees are created in a temporary directory outside the repository and always removed, so
the user's working tree, index and current branch are never touched.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

from mamori.errors import GitError, NotARepositoryError

__all__ = [
    "PatchApplyError",
    "apply_diff",
    "branch_exists",
    "changed_files",
    "current_branch",
    "ensure_excluded",
    "git",
    "head_commit",
    "is_ancestor",
    "repo_root",
    "rev_parse",
    "temporary_worktree",
]

# Settings passed with ``-c`` to every git invocation (see the module docstring for why).
_SAFE_CONFIG: tuple[str, ...] = (
    "-c",
    "core.hooksPath=/dev/null",
    "-c",
    "commit.gpgSign=false",
    "-c",
    "tag.gpgSign=false",
    "-c",
    "core.fsmonitor=false",
    "-c",
    "advice.detachedHead=false",
)

_WORKTREE_PREFIX = "mamori-wt-"


class PatchApplyError(GitError):
    """``git apply`` refused a diff; the message is git's."""


def _git_env(extra: Mapping[str, str] | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    # Messages are parsed and shown to people; a fixed locale keeps them predictable, and a
    # credential prompt would hang a non-interactive run.
    env["LC_ALL"] = "C"
    env["GIT_TERMINAL_PROMPT"] = "0"
    if extra:
        env.update(extra)
    return env


def git(
    args: Sequence[str],
    *,
    cwd: Path,
    input: str | None = None,
    check: bool = True,
    env: Mapping[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run ``git ARGS`` in ``cwd`` and return the completed process.

    With ``check`` (the default) a non-zero exit raises :class:`GitError` carrying git's stderr.
    ``env`` adds variables (e.g. ``GIT_AUTHOR_NAME``) to the sanitised environment.
    """
    cmd = ["git", *_SAFE_CONFIG, *args]
    try:
        proc = subprocess.run(
            cmd,
            cwd=cwd,
            input=input,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            env=_git_env(env),
            check=False,
        )
    except FileNotFoundError as e:
        raise GitError(
            "the git executable was not found", hint="install git and make sure it is on PATH"
        ) from e
    except OSError as e:
        raise GitError(f"could not run git in {cwd}: {e}") from e
    if check and proc.returncode != 0:
        raise GitError(_failure_message(args, proc))
    return proc


def _failure_message(args: Sequence[str], proc: subprocess.CompletedProcess[str]) -> str:
    stderr = (proc.stderr or proc.stdout or "").strip()
    sub = args[0] if args else ""
    return f"git {sub} failed (exit {proc.returncode}): {stderr or 'no message'}"


def repo_root(path: Path) -> Path:
    """The top-level directory of the git work tree containing ``path``.

    Raises :class:`NotARepositoryError` when ``path`` does not exist or is not inside a work tree.
    """
    if not path.exists():
        raise NotARepositoryError(f"{path} does not exist")
    start = path if path.is_dir() else path.parent
    proc = git(["rev-parse", "--show-toplevel"], cwd=start, check=False)
    top = proc.stdout.strip()
    if proc.returncode != 0 or not top:
        raise NotARepositoryError(
            f"{path} is not inside a git work tree",
            hint=f"run `git init` in {start} and commit the code to scan",
        )
    return Path(top).resolve()


def head_commit(root: Path) -> str:
    """The full id of HEAD; a repository without any commit raises NotARepositoryError."""
    proc = git(["rev-parse", "--verify", "--quiet", "HEAD^{commit}"], cwd=root, check=False)
    sha = proc.stdout.strip()
    if proc.returncode != 0 or not sha:
        repo_root(root)  # the better error when ``root`` is no repository at all
        raise NotARepositoryError(
            f"the git repository at {root} has no commit yet",
            hint="commit the code first, e.g. `git add -A && git commit -m initial`",
        )
    return sha


def current_branch(root: Path) -> str | None:
    """The short name of the checked-out branch, or None when HEAD is detached."""
    proc = git(["symbolic-ref", "--quiet", "--short", "HEAD"], cwd=root, check=False)
    name = proc.stdout.strip()
    return name if proc.returncode == 0 and name else None


def _check_rev(rev: str) -> None:
    # A revision starting with "-" would be read as an option by git.
    if not rev or rev.startswith("-"):
        raise GitError(f"invalid git revision {rev!r}")


def branch_exists(root: Path, branch: str) -> bool:
    _check_rev(branch)
    proc = git(["show-ref", "--verify", "--quiet", f"refs/heads/{branch}"], cwd=root, check=False)
    return proc.returncode == 0


def rev_parse(root: Path, rev: str) -> str:
    """The full commit id ``rev`` names; GitError naming ``rev`` when it names no commit."""
    _check_rev(rev)
    proc = git(["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], cwd=root, check=False)
    sha = proc.stdout.strip()
    if proc.returncode != 0 or not sha:
        raise GitError(f"{rev!r} does not name a commit in {root}")
    return sha


def is_ancestor(root: Path, ancestor: str, descendant: str) -> bool:
    """True when ``ancestor`` is reachable from ``descendant`` (or equal to it)."""
    _check_rev(ancestor)
    _check_rev(descendant)
    proc = git(["merge-base", "--is-ancestor", ancestor, descendant], cwd=root, check=False)
    if proc.returncode in (0, 1):
        return proc.returncode == 0
    raise GitError(_failure_message(["merge-base"], proc))


def ensure_excluded(root: Path, pattern: str) -> None:
    """Add ``pattern`` to the repository's ``info/exclude`` unless it is already there.

    ``info/exclude`` is local to the clone, so tracked files such as ``.gitignore`` stay as the
    user left them.
    """
    proc = git(["rev-parse", "--git-path", "info/exclude"], cwd=root)
    exclude = Path(proc.stdout.strip())
    if not exclude.is_absolute():
        exclude = root / exclude
    try:
        existing = exclude.read_text(encoding="utf-8") if exclude.exists() else ""
        if pattern in (line.strip() for line in existing.splitlines()):
            return
        exclude.parent.mkdir(parents=True, exist_ok=True)
        prefix = "" if not existing or existing.endswith("\n") else "\n"
        with exclude.open("a", encoding="utf-8") as f:
            f.write(f"{prefix}{pattern}\n")
    except OSError as e:
        raise GitError(f"could not update {exclude}: {e}") from e


@contextmanager
def temporary_worktree(root: Path, commit: str, *, detach: bool = True) -> Iterator[Path]:
    """Check ``commit`` out in a new worktree outside the repository; yield its path.

    With ``detach=False``, ``commit`` must be a branch name: the worktree is on that branch and
    commits made in it advance the branch. The worktree is removed (and git's bookkeeping
    pruned) on exit, also after an exception.
    """
    _check_rev(commit)
    root = root.resolve()
    base = Path(tempfile.gettempdir()).resolve()
    if base.is_relative_to(root):
        raise GitError(
            f"the temporary directory {base} is inside the repository {root}",
            hint="set TMPDIR to a directory outside the repository",
        )
    # Worktrees whose directory vanished (a killed run) would otherwise block branches.
    git(["worktree", "prune"], cwd=root)
    holder = Path(tempfile.mkdtemp(prefix=_WORKTREE_PREFIX, dir=base))
    worktree = holder / "tree"
    args = ["worktree", "add", "--quiet"]
    if detach:
        args.append("--detach")
    args += [str(worktree), commit]
    try:
        git(args, cwd=root)
    except GitError:
        shutil.rmtree(holder, ignore_errors=True)
        raise
    try:
        yield worktree
    finally:
        _remove_worktree(root, worktree, holder)


def _remove_worktree(root: Path, worktree: Path, holder: Path) -> None:
    removed = git(
        ["worktree", "remove", "--force", "--force", str(worktree)], cwd=root, check=False
    )
    # Whatever `worktree remove` left (it refuses in odd states), delete the files and let
    # prune drop git's record of the worktree.
    shutil.rmtree(holder, ignore_errors=True)
    pruned = git(["worktree", "prune"], cwd=root, check=False)
    if removed.returncode != 0 and pruned.returncode != 0:
        raise GitError(
            f"could not remove the temporary worktree {worktree}: {removed.stderr.strip()}",
            hint="run `git worktree prune` in the repository",
        )


def apply_diff(worktree: Path, diff: str) -> None:
    """Apply a unified diff to the files of ``worktree`` (not the index).

    Raises :class:`PatchApplyError` with git's explanation when it does not apply.
    """
    if not diff.strip():
        raise PatchApplyError("the patch is empty")
    text = diff if diff.endswith("\n") else diff + "\n"
    proc = git(["apply", "--whitespace=nowarn", "-"], cwd=worktree, input=text, check=False)
    if proc.returncode != 0:
        raise PatchApplyError(f"the patch does not apply: {proc.stderr.strip() or 'no message'}")


_HUNK = re.compile(r"^@@ -\d+(?:,(?P<old>\d+))? \+\d+(?:,(?P<new>\d+))? @@")
_ESCAPES = {"a": 7, "b": 8, "t": 9, "n": 10, "v": 11, "f": 12, "r": 13, '"': 34, "\\": 92}
_OCTAL = re.compile(r"[0-3][0-7]{2}")
_QUOTED = re.compile(r'"(?:[^"\\]|\\.)*"')


def _unquote(path: str) -> str:
    """Undo git's C-style quoting of unusual paths ("a/\\303\\251.py")."""
    if not (len(path) >= 2 and path.startswith('"') and path.endswith('"')):
        return path
    body = path[1:-1]
    out = bytearray()
    i = 0
    while i < len(body):
        ch = body[i]
        if ch != "\\" or i + 1 >= len(body):
            out += ch.encode("utf-8")
            i += 1
        elif _OCTAL.fullmatch(body[i + 1 : i + 4]):
            out.append(int(body[i + 1 : i + 4], 8))
            i += 4
        else:
            out.append(_ESCAPES.get(body[i + 1], ord(body[i + 1]) & 0xFF))
            i += 2
    return out.decode("utf-8", errors="replace")


def _strip_prefix(path: str) -> str | None:
    path = path.rstrip("\n")
    quoted = _QUOTED.match(path)
    # Git puts a tab after names with spaces, other tools a tab and a timestamp.
    path = _unquote(quoted[0]) if quoted else path.split("\t", 1)[0].rstrip()
    if path == "/dev/null":
        return None
    if path.startswith(("a/", "b/")):
        return path[2:]
    return path


def _header_paths(rest: str) -> list[str]:
    """Paths from the text after ``diff --git `` (used when there are no ---/+++ lines)."""
    if rest.startswith('"'):
        m = re.match(r'("(?:[^"\\]|\\.)*") (.*)$', rest)
        parts = [m[1], m[2]] if m else []
    else:
        # Unquoted names may contain spaces: "a/x y b/x y" splits where both halves agree.
        parts = []
        for i in range(len(rest)):
            if rest[i] == " " and rest[i + 1 : i + 3] == "b/" and rest[2:i] == rest[i + 3 :]:
                parts = [rest[:i], rest[i + 1 :]]
                break
        if not parts:
            parts = rest.split(" ", 1)
    return [p for p in (_strip_prefix(x) for x in parts) if p]


def changed_files(diff: str) -> list[str]:
    """Repository-relative paths a unified diff touches, in order, without duplicates.

    A deleted file is listed under its old path, a renamed one under both names.
    """
    seen: dict[str, None] = {}
    section: list[str] = []  # names from the current file's headers
    header: list[str] = []  # names from its "diff --git" line
    old_left = new_left = 0  # lines left in the current hunk

    def flush() -> None:
        for name in section or header:
            seen.setdefault(name, None)

    for line in diff.splitlines():
        if old_left > 0 or new_left > 0:
            tag = line[:1]
            if tag == "\\":  # "\ No newline at end of file"
                continue
            if tag in (" ", ""):
                old_left, new_left = old_left - 1, new_left - 1
                continue
            if tag == "-":
                old_left -= 1
                continue
            if tag == "+":
                new_left -= 1
                continue
            old_left = new_left = 0  # a malformed hunk: read the line as a header
        if line.startswith("diff --git "):
            flush()
            section, header = [], _header_paths(line[len("diff --git ") :])
        elif line.startswith("--- "):
            if section:
                flush()
                section, header = [], []
            name = _strip_prefix(line[4:])
            section = [name] if name else []
        elif line.startswith("+++ "):
            name = _strip_prefix(line[4:])
            if name and name not in section:
                # A modification names the same file twice; a deletion has "+++ /dev/null".
                section.append(name)
        elif line.startswith("rename from "):
            section.append(_unquote(line[len("rename from ") :]))
        elif line.startswith("rename to "):
            section.append(_unquote(line[len("rename to ") :]))
        elif m := _HUNK.match(line):
            old_left = int(m["old"]) if m["old"] is not None else 1
            new_left = int(m["new"]) if m["new"] is not None else 1
    flush()
    return list(seen)
