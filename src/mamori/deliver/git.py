"""Delivering accepted patches as commits on a Mamori branch.

Every commit is made in a temporary worktree checked out on the run's branch, so the user's
current branch, index and working tree are never touched. One commit per patch; a patch that
no longer applies is reported (with git's reason) and skipped, and the others continue.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from mamori.domain import Patch, PatchId, TestSummary
from mamori.errors import GitError
from mamori.gitutil import (
    branch_exists,
    current_branch,
    git,
    rev_parse,
    temporary_worktree,
)
from mamori.verify.tests import TestRunOptions, has_tests, run_tests

__all__ = [
    "Delivered",
    "DeliveryFailed",
    "DeliveryItem",
    "DeliveryOutcome",
    "GitIdentity",
    "branch_tip_tests",
    "deliver_patches",
]


@dataclass(frozen=True, kw_only=True)
class GitIdentity:
    """Author and committer of Mamori's commits."""

    name: str = "Mamori"
    email: str = "mamori@localhost"

    def env(self) -> dict[str, str]:
        return {
            "GIT_AUTHOR_NAME": self.name,
            "GIT_AUTHOR_EMAIL": self.email,
            "GIT_COMMITTER_NAME": self.name,
            "GIT_COMMITTER_EMAIL": self.email,
        }


@dataclass(frozen=True, kw_only=True)
class DeliveryItem:
    patch: Patch
    message: str  # the full commit message


@dataclass(frozen=True, kw_only=True)
class Delivered:
    patch_id: PatchId
    commit: str
    # The branch already held every change of the patch (an earlier patch of the run made the
    # same edit): nothing new is committed, ``commit`` is the branch commit that holds it.
    already_present: bool = False


@dataclass(frozen=True, kw_only=True)
class DeliveryFailed:
    patch_id: PatchId
    reason: str


DeliveryOutcome = Delivered | DeliveryFailed


def check_branch_name(root: Path, branch: str) -> None:
    """GitError unless ``branch`` is a valid branch name."""
    proc = git(["check-ref-format", "--branch", branch], cwd=root, check=False)
    if proc.returncode != 0 or branch.startswith("-"):
        raise GitError(f"{branch!r} is not a valid branch name")


def prepare_branch(root: Path, branch: str, base_commit: str) -> None:
    """Create ``branch`` at ``base_commit`` unless it exists; refuse the user's current branch."""
    check_branch_name(root, branch)
    if current_branch(root) == branch:
        raise GitError(
            f"branch {branch!r} is checked out in {root}; Mamori does not commit on the "
            "branch you are working on",
            hint="switch to another branch first",
        )
    if not branch_exists(root, branch):
        base = rev_parse(root, base_commit)
        # `git branch` only writes a ref: the working tree and index stay as they are.
        git(["branch", "--no-track", branch, base], cwd=root)


def deliver_patches(
    root: Path,
    *,
    branch: str,
    base_commit: str,
    items: Sequence[DeliveryItem],
    identity: GitIdentity | None = None,
) -> list[DeliveryOutcome]:
    """Commit each patch on ``branch`` (created at ``base_commit`` if missing), one per commit.

    Returns one outcome per item, in order. Raises :class:`GitError` when the branch or the
    worktree cannot be set up at all.
    """
    prepare_branch(root, branch, base_commit)
    who = identity or GitIdentity()
    outcomes: list[DeliveryOutcome] = []
    with temporary_worktree(root, branch, detach=False) as tree:
        for item in items:
            outcomes.append(_deliver_one(tree, item, who))
    return outcomes


def _reset(tree: Path) -> None:
    # Undo a half-applied patch (conflict markers, staged files, new files) before the next one.
    git(["reset", "--hard", "--quiet", "HEAD"], cwd=tree)
    git(["clean", "-fdxq"], cwd=tree)


def _apply(tree: Path, diff: str) -> str | None:
    """Apply ``diff`` to the worktree and index; the reason it does not apply, or None."""
    text = diff if diff.endswith("\n") else diff + "\n"
    three_way = git(
        ["apply", "--3way", "--whitespace=nowarn", "-"], cwd=tree, input=text, check=False
    )
    if three_way.returncode == 0:
        return None
    _reset(tree)
    # Diffs without blob ids (as fixers write them) cannot go three-way; a plain apply with
    # the index is the graceful fallback.
    plain = git(["apply", "--index", "--whitespace=nowarn", "-"], cwd=tree, input=text, check=False)
    if plain.returncode == 0:
        return None
    _reset(tree)
    reason = plain.stderr.strip() or three_way.stderr.strip() or "no message from git"
    return f"the patch does not apply on the branch: {reason}"


def _deliver_one(tree: Path, item: DeliveryItem, who: GitIdentity) -> DeliveryOutcome:
    patch_id = item.patch.id
    if not item.patch.diff.strip():
        return DeliveryFailed(patch_id=patch_id, reason="the patch is empty")
    failure = _apply(tree, item.patch.diff)
    if failure is not None:
        return DeliveryFailed(patch_id=patch_id, reason=failure)
    staged = git(["diff", "--cached", "--quiet"], cwd=tree, check=False)
    if staged.returncode == 0:
        # It applied and left the tree as it was: the branch already holds this change.
        _reset(tree)
        return Delivered(patch_id=patch_id, commit=rev_parse(tree, "HEAD"), already_present=True)
    commit = git(
        ["commit", "--quiet", "--no-verify", "--cleanup=whitespace", "--file=-"],
        cwd=tree,
        input=item.message if item.message.strip() else f"Mamori patch {patch_id}",
        env=who.env(),
        check=False,
    )
    if commit.returncode != 0:
        _reset(tree)
        return DeliveryFailed(
            patch_id=patch_id, reason=f"git commit failed: {commit.stderr.strip()}"
        )
    return Delivered(patch_id=patch_id, commit=rev_parse(tree, "HEAD"))


def branch_tip_tests(root: Path, branch: str, options: TestRunOptions) -> TestSummary | None:
    """Run the tests on the tip of ``branch`` in a worktree; None when there are no tests."""
    tip = rev_parse(root, f"refs/heads/{branch}")
    with temporary_worktree(root, tip) as tree:
        if not has_tests(tree):
            return None
        return run_tests(tree, options)
