"""Rolling back a delivered patch: a revert commit on the same branch, then the tests again."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mamori.deliver.git import GitIdentity, check_branch_name
from mamori.domain import TestSummary
from mamori.errors import GitError
from mamori.gitutil import (
    branch_exists,
    current_branch,
    git,
    is_ancestor,
    rev_parse,
    temporary_worktree,
)
from mamori.verify.tests import TestRunOptions, has_tests, run_tests

__all__ = ["RollbackResult", "rollback_commit"]


@dataclass(frozen=True, kw_only=True)
class RollbackResult:
    revert_commit: str
    tests: TestSummary | None  # None: the project has no tests


def rollback_commit(
    root: Path,
    *,
    branch: str,
    commit: str,
    tests: TestRunOptions,
    identity: GitIdentity | None = None,
) -> RollbackResult:
    """Revert ``commit`` on ``branch`` (in a temporary worktree) and run the tests on the result.

    Raises :class:`GitError` naming the commit when it is not on the branch, and with git's
    message when the revert conflicts (the branch is then left as it was).
    """
    check_branch_name(root, branch)
    if not branch_exists(root, branch):
        raise GitError(f"branch {branch!r} does not exist in {root}")
    if current_branch(root) == branch:
        raise GitError(
            f"branch {branch!r} is checked out in {root}; Mamori does not commit on the "
            "branch you are working on",
            hint="switch to another branch first",
        )
    sha = rev_parse(root, commit)
    if not is_ancestor(root, sha, f"refs/heads/{branch}"):
        raise GitError(f"commit {commit} is not on branch {branch!r}")
    who = identity or GitIdentity()
    with temporary_worktree(root, branch, detach=False) as tree:
        proc = git(["revert", "--no-edit", sha], cwd=tree, env=who.env(), check=False)
        if proc.returncode != 0:
            message = (proc.stderr or proc.stdout).strip()
            # Leave the branch as it was: no half-done revert state survives the worktree.
            git(["revert", "--abort"], cwd=tree, check=False)
            raise GitError(f"git revert of {commit} on {branch!r} failed: {message}")
        revert = rev_parse(tree, "HEAD")
        summary = run_tests(tree, tests) if has_tests(tree) else None
    return RollbackResult(revert_commit=revert, tests=summary)
