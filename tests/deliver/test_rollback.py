"""mamori.deliver.rollback: revert commits on the Mamori branch and re-run the tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from mamori.deliver.git import Delivered, DeliveryItem, deliver_patches
from mamori.deliver.rollback import rollback_commit
from mamori.errors import GitError
from mamori.verify.tests import TestRunOptions
from tests.deliver.deliver_support import CALC_PY, git, make_diff, make_patch, snapshot

BRANCH = "mamori/run-1"
TESTS = TestRunOptions(timeout_s=120)


def deliver(root: Path, base: str, pid: str, new: str) -> str:
    diff = make_diff("calc.py", git(root, "show", f"{base}:calc.py") + "\n", new)
    (out,) = deliver_patches(
        root,
        branch=BRANCH,
        base_commit=base,
        items=[DeliveryItem(patch=make_patch(pid, diff), message=f"fix {pid}")],
    )
    assert isinstance(out, Delivered), out
    return out.commit


def test_rollback_reverts_and_reruns_tests(project: tuple[Path, str]) -> None:
    root, base = project
    breaking = deliver(root, base, "p1", CALC_PY.replace("return a * b", "return a ** b"))
    before = snapshot(root)
    result = rollback_commit(root, branch=BRANCH, commit=breaking, tests=TESTS)
    assert snapshot(root) == before  # the user's tree is untouched
    assert git(root, "rev-parse", BRANCH) == result.revert_commit
    assert git(root, "rev-parse", f"{result.revert_commit}^") == breaking
    assert git(root, "show", f"{BRANCH}:calc.py") + "\n" == CALC_PY
    assert git(root, "log", "-1", "--format=%an|%s", BRANCH).startswith('Mamori|Revert "fix p1"')
    assert result.tests is not None
    assert result.tests.ok
    assert result.tests.outcomes == {
        "test_calc::test_add": "passed",
        "test_calc::test_mul": "passed",
    }


def test_rollback_of_commit_not_on_branch(project: tuple[Path, str]) -> None:
    root, base = project
    deliver(root, base, "p1", CALC_PY.replace("a + b", "b + a"))
    (root / "other.txt").write_text("x\n")
    git(root, "add", "other.txt")
    git(root, "commit", "-q", "-m", "unrelated on main")
    unrelated = git(root, "rev-parse", "HEAD")
    with pytest.raises(GitError, match=f"commit {unrelated} is not on branch"):
        rollback_commit(root, branch=BRANCH, commit=unrelated, tests=TESTS)
    with pytest.raises(GitError, match="deadbeef"):
        rollback_commit(root, branch=BRANCH, commit="deadbeef", tests=TESTS)


def test_conflicting_revert_leaves_branch_unchanged(project: tuple[Path, str]) -> None:
    root, base = project
    first = deliver(root, base, "p1", CALC_PY.replace("a + b", "b + a"))
    # A later commit rewrites the same line, so reverting the first one conflicts.
    second_text = CALC_PY.replace("a + b", "sum((a, b))")
    diff = make_diff("calc.py", CALC_PY.replace("a + b", "b + a"), second_text)
    (out,) = deliver_patches(
        root,
        branch=BRANCH,
        base_commit=base,
        items=[DeliveryItem(patch=make_patch("p2", diff), message="p2")],
    )
    assert isinstance(out, Delivered)
    with pytest.raises(GitError, match="revert"):
        rollback_commit(root, branch=BRANCH, commit=first, tests=TESTS)
    assert git(root, "rev-parse", BRANCH) == out.commit
    assert git(root, "worktree", "list").count("\n") == 0
