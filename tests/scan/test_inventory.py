from __future__ import annotations

import os
from pathlib import Path

import pytest

from mamori.domain import NotAnalysed
from mamori.errors import NotARepositoryError
from mamori.scan.interface import ScanOptions
from mamori.scan.inventory import build_target, is_excluded


def reasons(not_analysed: list[NotAnalysed]) -> dict[str, str]:
    return {n.path: n.reason for n in not_analysed}


def test_missing_root_names_the_path(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-dir"
    with pytest.raises(NotARepositoryError, match="no-such-dir"):
        build_target(missing, ScanOptions())


def test_git_repo_lists_tracked_and_untracked_but_not_ignored(make_repo) -> None:
    root = make_repo(
        {
            ".gitignore": "build/\nsecret.py\n",
            "app/main.py": "def main():\n    return 1\n",
            "README.md": "hello\n",
            "build/gen.py": "x = 1\n",
            "secret.py": "x = 2\n",
            ".venv/lib/site.py": "x = 3\n",
            "node_modules/pkg/index.py": "x = 4\n",
            "vendor/lib.py": "x = 5\n",
        }
    )
    (root / "untracked.py").write_text("y = 1\n")
    (root / "app" / "__pycache__").mkdir()
    (root / "app" / "__pycache__" / "m.py").write_text("z = 1\n")

    target, not_analysed = build_target(root, ScanOptions(exclude=("vendor",)))

    assert target.root == root.resolve()
    assert set(target.files) == {".gitignore", "README.md", "app/main.py", "untracked.py"}
    assert set(target.sources) == {"app/main.py", "untracked.py"}
    assert target.sources["app/main.py"].scope_at(2) == "main"
    assert not_analysed == []


def test_plain_directory_is_walked_with_the_same_skips(make_repo) -> None:
    root = make_repo(
        {
            "a.py": "x = 1\n",
            "docs/guide.txt": "text\n",
            ".git/config.py": "x = 1\n",
            ".mamori/state.py": "x = 1\n",
            "venv/lib.py": "x = 1\n",
            "pkg/tests/test_a.py": "x = 1\n",
        },
        git=False,
    )
    target, _ = build_target(root, ScanOptions(exclude=("pkg/tests/*",)))
    assert set(target.files) == {"a.py", "docs/guide.txt"}
    assert set(target.sources) == {"a.py"}


def test_unreadable_python_files_are_reported_with_reasons(make_repo) -> None:
    root = make_repo(
        {
            "ok.py": "x = 1\n",
            "binary.py": b"x = 1\x00\x01\x02\n",
            "huge.py": "x = 1\n" * 400,
            "latin.py": "name = 'caf\xe9'\n".encode("latin-1"),
            "broken.py": "def f(:\n    pass\n",
            "data.bin": b"\x00\x01",
        }
    )
    target, not_analysed = build_target(root, ScanOptions(max_file_bytes=1000))
    why = reasons(not_analysed)

    assert set(why) == {"binary.py", "huge.py", "latin.py", "broken.py"}
    assert all(n.engine is None for n in not_analysed)
    assert why["binary.py"].startswith("binary content")
    assert "2400 bytes" in why["huge.py"]
    assert "1000" in why["huge.py"]
    assert "scan.max_file_bytes" in why["huge.py"]
    assert why["latin.py"].startswith("not UTF-8:")
    assert "0xe9" in why["latin.py"]
    assert why["broken.py"].startswith("syntax error at line ")
    assert ", column " in why["broken.py"]
    # Unreadable files are still part of the inventory, just not parsed.
    assert set(target.sources) == {"ok.py"}
    assert {"binary.py", "huge.py", "latin.py", "broken.py", "data.bin"} <= set(target.files)


def test_python_312_syntax_parses_with_libcst(make_repo) -> None:
    root = make_repo(
        {
            "newsyntax.py": "type Alias = list[int]\n\n"
            "def first[T](xs: list[T]) -> T:\n    return xs[0]\n"
        }
    )
    target, not_analysed = build_target(root, ScanOptions())
    assert not_analysed == []
    assert target.sources["newsyntax.py"].scope_at(4) == "first"


@pytest.mark.parametrize("git", [True, False])
def test_symlink_outside_root_is_skipped_with_a_reason(
    make_repo, tmp_path: Path, git: bool
) -> None:
    outside = tmp_path / "outside.py"
    outside.write_text("import os\n")
    root = make_repo({"inside.py": "x = 1\n"}, git=False)
    os.symlink(outside, root / "link.py")
    os.symlink(root / "inside.py", root / "alias.py")
    os.symlink(tmp_path, root / "dirlink")
    if git:
        import subprocess

        subprocess.run(["git", "init", "-q"], cwd=root, check=True)

    target, not_analysed = build_target(root, ScanOptions())
    why = reasons(not_analysed)

    assert "link.py" in why and str(outside) in why["link.py"]
    assert "outside the repository root" in why["link.py"]
    assert "link.py" not in target.files and "link.py" not in target.sources
    # A link that stays inside the repository is an ordinary file.
    assert "alias.py" in target.sources
    assert "dirlink" in why  # a directory link leaving the root is named too


def test_deleted_tracked_file_is_not_listed(make_repo) -> None:
    root = make_repo({"gone.py": "x = 1\n", "kept.py": "y = 2\n"})
    (root / "gone.py").unlink()
    target, not_analysed = build_target(root, ScanOptions())
    assert target.files == ("kept.py",)
    assert not_analysed == []


@pytest.mark.parametrize(
    ("path", "patterns", "expected"),
    [
        ("vendor/a/b.py", ("vendor",), True),
        ("src/vendor.py", ("vendor",), False),
        ("tests/x/test_a.py", ("tests/*",), True),
        ("a/migrations/0001.py", ("*/migrations/*",), True),
        ("a/b.py", ("./a/",), True),
        ("a/b.py", (), False),
        ("a/b.py", ("c",), False),
    ],
)
def test_is_excluded(path: str, patterns: tuple[str, ...], expected: bool) -> None:
    assert is_excluded(path, patterns) is expected
