"""mamori.deliver.git: commits on a Mamori branch without touching the user's tree."""

from __future__ import annotations

from pathlib import Path

import pytest

from mamori.deliver.git import (
    Delivered,
    DeliveryFailed,
    DeliveryItem,
    GitIdentity,
    branch_tip_tests,
    deliver_patches,
)
from mamori.errors import GitError
from mamori.verify.tests import TestRunOptions
from tests.deliver.deliver_support import (
    CALC_PY,
    TEST_CALC_PY,
    git,
    make_diff,
    make_patch,
    snapshot,
)

BRANCH = "mamori/run-1"
ADD_FIX = CALC_PY.replace("return a + b", "return b + a")
MUL_FIX = CALC_PY.replace("return a * b", "return b * a")


def item(pid: str, new: str, message: str = "") -> DeliveryItem:
    return DeliveryItem(
        patch=make_patch(pid, make_diff("calc.py", CALC_PY, new)),
        message=message or f"fix: {pid}\n\nMamori-Patch: {pid}\n",
    )


def test_one_commit_per_patch_and_user_tree_untouched(project: tuple[Path, str]) -> None:
    root, base = project
    # A dirty working tree: a modified tracked file, a staged change and an untracked file.
    (root / "calc.py").write_text(CALC_PY + "# local edit\n")
    (root / "notes.txt").write_text("mine\n")
    (root / "test_calc.py").write_text(TEST_CALC_PY + "# staged\n")
    git(root, "add", "test_calc.py")
    before = snapshot(root)
    status_before = git(root, "status", "--porcelain")

    outcomes = deliver_patches(
        root,
        branch=BRANCH,
        base_commit=base,
        items=[item("p1", ADD_FIX), item("p2", MUL_FIX)],
    )

    assert snapshot(root) == before
    assert git(root, "status", "--porcelain") == status_before
    assert git(root, "symbolic-ref", "--short", "HEAD") == "main"
    assert [type(o) for o in outcomes] == [Delivered, Delivered]
    first, second = outcomes
    assert isinstance(first, Delivered) and isinstance(second, Delivered)
    assert git(root, "rev-parse", BRANCH) == second.commit
    assert git(root, "rev-parse", f"{second.commit}^") == first.commit
    assert git(root, "rev-parse", f"{first.commit}^") == base
    assert git(root, "show", f"{BRANCH}:calc.py") + "\n" == ADD_FIX.replace(
        "return a * b", "return b * a"
    )
    log = git(root, "log", "--format=%an <%ae>|%cn <%ce>|%s", f"{base}..{BRANCH}")
    assert log.splitlines() == [
        "Mamori <mamori@localhost>|Mamori <mamori@localhost>|fix: p2",
        "Mamori <mamori@localhost>|Mamori <mamori@localhost>|fix: p1",
    ]
    assert "Mamori-Patch: p1" in git(root, "log", "-1", "--format=%B", first.commit)
    assert git(root, "worktree", "list").count("\n") == 0  # the temporary worktree is gone


def test_failed_patch_is_reported_and_others_continue(project: tuple[Path, str]) -> None:
    root, base = project
    stale = DeliveryItem(
        patch=make_patch("bad", make_diff("calc.py", "nothing like it\n", "x\n")),
        message="fix: bad",
    )
    new_file = DeliveryItem(
        patch=make_patch(
            "new",
            make_diff("SECURITY.md", "", "report to security@example.com\n"),
            ("SECURITY.md",),
        ),
        message="docs: security contact",
    )
    outcomes = deliver_patches(
        root, branch=BRANCH, base_commit=base, items=[item("p1", ADD_FIX), stale, new_file]
    )
    ok1, failed, ok2 = outcomes
    assert isinstance(ok1, Delivered) and isinstance(ok2, Delivered)
    assert isinstance(failed, DeliveryFailed)
    assert failed.patch_id == "bad"
    assert "does not apply" in failed.reason and "calc.py" in failed.reason
    assert git(root, "rev-list", "--count", f"{base}..{BRANCH}") == "2"
    assert git(root, "show", f"{BRANCH}:SECURITY.md") == "report to security@example.com"
    # The failed patch left nothing behind in the commit that followed it.
    assert git(root, "show", "--name-only", "--format=", ok2.commit) == "SECURITY.md"


def test_later_delivery_continues_from_branch_tip(project: tuple[Path, str]) -> None:
    root, base = project
    (first,) = deliver_patches(root, branch=BRANCH, base_commit=base, items=[item("p1", ADD_FIX)])
    (second,) = deliver_patches(root, branch=BRANCH, base_commit=base, items=[item("p2", MUL_FIX)])
    assert isinstance(first, Delivered) and isinstance(second, Delivered)
    assert git(root, "rev-parse", f"{second.commit}^") == first.commit
    # The same patch again no longer applies (its context is gone): reported, not committed.
    (again,) = deliver_patches(root, branch=BRANCH, base_commit=base, items=[item("p2", MUL_FIX)])
    assert isinstance(again, DeliveryFailed)
    assert git(root, "rev-parse", BRANCH) == second.commit


def test_a_change_the_branch_already_holds_is_not_committed_twice(
    project: tuple[Path, str],
) -> None:
    """Two findings fixed by the same edit: the second patch applies (three-way, by blob id)
    and changes nothing; it is delivered by the commit that already holds it."""
    root, base = project
    (first,) = deliver_patches(root, branch=BRANCH, base_commit=base, items=[item("p1", MUL_FIX)])
    assert isinstance(first, Delivered) and not first.already_present
    (root / "calc.py").write_text(MUL_FIX)
    same_edit = git(root, "diff", "--full-index", "calc.py") + "\n"
    git(root, "checkout", "--", "calc.py")
    (again,) = deliver_patches(
        root,
        branch=BRANCH,
        base_commit=base,
        items=[DeliveryItem(patch=make_patch("p2", same_edit), message="fix: p2\n")],
    )
    assert isinstance(again, Delivered) and again.already_present
    assert again.commit == first.commit
    assert git(root, "rev-parse", BRANCH) == first.commit


def test_three_way_merge_applies_patch_made_on_an_older_base(project: tuple[Path, str]) -> None:
    root, base = project
    # A fixer's diff made against base (no blob ids), delivered after another patch moved the
    # surrounding lines: git apply still finds the context.
    header = "# header\n# more header\n"
    first = DeliveryItem(
        patch=make_patch("p1", make_diff("calc.py", CALC_PY, header + CALC_PY)), message="p1"
    )
    outcomes = deliver_patches(
        root, branch=BRANCH, base_commit=base, items=[first, item("p2", MUL_FIX)]
    )
    assert all(isinstance(o, Delivered) for o in outcomes), outcomes
    assert git(root, "show", f"{BRANCH}:calc.py") + "\n" == header + MUL_FIX


def test_custom_identity(project: tuple[Path, str]) -> None:
    root, base = project
    who = GitIdentity(name="Sec Bot", email="bot@example.com")
    (out,) = deliver_patches(
        root, branch=BRANCH, base_commit=base, items=[item("p1", ADD_FIX)], identity=who
    )
    assert isinstance(out, Delivered)
    assert git(root, "log", "-1", "--format=%an <%ae>", out.commit) == "Sec Bot <bot@example.com>"


def test_refuses_the_users_current_branch_and_bad_names(project: tuple[Path, str]) -> None:
    root, base = project
    with pytest.raises(GitError, match="checked out"):
        deliver_patches(root, branch="main", base_commit=base, items=[item("p1", ADD_FIX)])
    with pytest.raises(GitError, match="not a valid branch name"):
        deliver_patches(root, branch="bad..name", base_commit=base, items=[])
    assert git(root, "rev-parse", "main") == base


def test_hooks_of_the_repository_do_not_run(project: tuple[Path, str]) -> None:
    root, base = project
    marker = root.parent / "hook-ran"
    for name in ("pre-commit", "commit-msg", "post-commit", "post-checkout"):
        hook = root / ".git" / "hooks" / name
        hook.write_text(f"#!/bin/sh\necho {name} >> {marker}\nexit 1\n")
        hook.chmod(0o755)
    (out,) = deliver_patches(root, branch=BRANCH, base_commit=base, items=[item("p1", ADD_FIX)])
    assert isinstance(out, Delivered)
    assert not marker.exists()


def test_branch_tip_tests(project: tuple[Path, str]) -> None:
    root, base = project
    broken = CALC_PY.replace("return a * b", "return a + b")
    deliver_patches(root, branch=BRANCH, base_commit=base, items=[item("p1", broken)])
    summary = branch_tip_tests(root, BRANCH, TestRunOptions(timeout_s=120))
    assert summary is not None
    assert summary.outcomes == {"test_calc::test_add": "passed", "test_calc::test_mul": "failed"}
