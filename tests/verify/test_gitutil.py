"""mamori.gitutil against real git repositories."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from mamori.errors import GitError, NotARepositoryError
from mamori.gitutil import (
    PatchApplyError,
    apply_diff,
    branch_exists,
    changed_files,
    current_branch,
    ensure_excluded,
    head_commit,
    repo_root,
    rev_parse,
    temporary_worktree,
)
from tests.verify.verify_support import DB_PY, commit_all, git, make_diff, make_project


def worktree_paths(repo: Path) -> list[str]:
    out = git(repo, "worktree", "list", "--porcelain")
    return [line.split(" ", 1)[1] for line in out.splitlines() if line.startswith("worktree ")]


def test_repo_root_finds_the_top_from_a_subdirectory(project: tuple[Path, str]) -> None:
    root, _ = project
    assert repo_root(root / "app") == root.resolve()
    assert repo_root(root / "app" / "db.py") == root.resolve()


def test_repo_root_rejects_missing_path_and_plain_directory(tmp_path: Path) -> None:
    with pytest.raises(NotARepositoryError, match="does not exist"):
        repo_root(tmp_path / "nope")
    plain = tmp_path / "plain"
    plain.mkdir()
    with pytest.raises(NotARepositoryError, match="not inside a git work tree") as info:
        repo_root(plain)
    assert info.value.hint is not None and "git init" in info.value.hint
    assert str(plain) in info.value.message


def test_head_commit_needs_a_commit(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q")
    with pytest.raises(NotARepositoryError, match="no commit yet"):
        head_commit(tmp_path)
    plain = tmp_path.parent / f"{tmp_path.name}-plain"
    plain.mkdir()
    with pytest.raises(NotARepositoryError, match="not inside a git work tree"):
        head_commit(plain)


def test_head_branch_and_rev_parse(project: tuple[Path, str]) -> None:
    root, base = project
    assert head_commit(root) == base
    assert current_branch(root) == "main"
    assert branch_exists(root, "main")
    assert not branch_exists(root, "mamori/x")
    assert rev_parse(root, "main") == base
    with pytest.raises(GitError, match="nosuchref"):
        rev_parse(root, "nosuchref")
    with pytest.raises(GitError):
        rev_parse(root, "--all")
    git(root, "checkout", "-q", "--detach")
    assert current_branch(root) is None


def test_ensure_excluded_is_idempotent_and_leaves_gitignore_alone(
    project: tuple[Path, str],
) -> None:
    root, _ = project
    (root / ".gitignore").write_text("*.log")  # no final newline on purpose
    commit_all(root, "ignore")
    ensure_excluded(root, ".mamori/")
    ensure_excluded(root, ".mamori/")
    exclude = (root / ".git" / "info" / "exclude").read_text()
    assert exclude.count(".mamori/") == 1
    assert (root / ".gitignore").read_text() == "*.log"
    (root / ".mamori").mkdir()
    (root / ".mamori" / "state.db").write_text("x")
    assert git(root, "status", "--porcelain") == ""


def test_temporary_worktree_is_outside_and_removed_after_exception(
    project: tuple[Path, str],
) -> None:
    root, base = project
    seen: list[Path] = []
    with pytest.raises(RuntimeError, match="boom"), temporary_worktree(root, base) as tree:
        seen.append(tree)
        assert (tree / "app" / "db.py").read_text() == DB_PY
        assert not tree.resolve().is_relative_to(root.resolve())
        (tree / "app" / "db.py").write_text("changed")  # a dirty worktree is removed too
        raise RuntimeError("boom")
    (tree,) = seen
    assert not tree.exists()
    assert not tree.parent.exists()
    assert worktree_paths(root) == [str(root.resolve())]
    assert (root / "app" / "db.py").read_text() == DB_PY


def test_temporary_worktree_prunes_stale_worktrees(
    project: tuple[Path, str], tmp_path: Path
) -> None:
    root, base = project
    stale = tmp_path / "stale"
    git(root, "worktree", "add", "-q", "--detach", str(stale), base)
    subprocess.run(["rm", "-rf", str(stale)], check=True)  # a killed run left this behind
    assert str(stale) in worktree_paths(root)
    with temporary_worktree(root, base):
        assert str(stale) not in worktree_paths(root)


def test_temporary_worktree_does_not_run_repository_hooks(project: tuple[Path, str]) -> None:
    root, base = project
    marker = root.parent / "hook-ran"
    hook = root / ".git" / "hooks" / "post-checkout"
    hook.write_text(f"#!/bin/sh\ntouch {marker}\n")
    hook.chmod(0o755)
    git(root, "checkout", "-q", "-b", "other")  # the hook works when git runs it normally
    assert marker.exists()
    marker.unlink()
    with temporary_worktree(root, base) as tree:
        assert (tree / "app").is_dir()
    assert not marker.exists()


def test_temporary_worktree_on_a_branch_advances_it(project: tuple[Path, str]) -> None:
    root, base = project
    git(root, "branch", "feature", base)
    with temporary_worktree(root, "feature", detach=False) as tree:
        (tree / "new.txt").write_text("hi\n")
        commit_all(tree, "add new")
    assert rev_parse(root, "feature") != base
    assert not (root / "new.txt").exists()


def test_apply_diff_applies_and_reports_git_errors(project: tuple[Path, str]) -> None:
    root, base = project
    new = DB_PY.replace("a + b", "b + a")
    with temporary_worktree(root, base) as tree:
        apply_diff(tree, make_diff("app/db.py", DB_PY, new))
        assert (tree / "app" / "db.py").read_text() == new
        with pytest.raises(PatchApplyError, match=r"does not apply: .*app/db\.py"):
            apply_diff(tree, make_diff("app/db.py", DB_PY, new))  # already applied
        with pytest.raises(PatchApplyError, match="empty"):
            apply_diff(tree, "")
    assert (root / "app" / "db.py").read_text() == DB_PY


def test_changed_files_from_git_diff_with_add_delete_rename(project: tuple[Path, str]) -> None:
    root, _ = project
    (root / "app" / "db.py").write_text(DB_PY + "\n# more\n")
    (root / "app" / "__init__.py").unlink()
    (root / "pytest.ini").rename(root / "setup.ini")
    (root / "new file é.py").write_text("x = 1\n")
    git(root, "add", "-A")
    diff = git(root, "diff", "--cached", "-M")
    assert sorted(changed_files(diff)) == sorted(
        ["app/db.py", "app/__init__.py", "pytest.ini", "setup.ini", "new file é.py"]
    )


def test_changed_files_plain_unified_diff_ignores_hunk_lines_like_headers() -> None:
    old = "x = 1\n-- not a header\n++ neither\n"
    new = "x = 2\n"
    diff = make_diff("a.py", old, new) + make_diff("pkg/b.py", "y = 1\n", "y = 2\n")
    # The removed line "-- not a header" shows up as "--- not a header" inside the hunk.
    assert "\n--- not a header\n" in diff
    assert changed_files(diff) == ["a.py", "pkg/b.py"]


def test_changed_files_deletion_and_creation_in_plain_diff() -> None:
    diff = (
        "--- a/gone.py\n+++ /dev/null\n@@ -1 +0,0 @@\n-x = 1\n"
        "--- /dev/null\n+++ b/born.py\n@@ -0,0 +1 @@\n+y = 2\n"
    )
    assert changed_files(diff) == ["gone.py", "born.py"]


def test_make_project_helper_makes_one_commit(tmp_path: Path) -> None:
    base = make_project(tmp_path / "p", with_tests=False)
    assert git(tmp_path / "p", "rev-list", "--count", "HEAD") == "1"
    assert len(base) == 40
