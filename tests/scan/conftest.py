"""Fixtures for the scan-engine tests: small real repositories made in tmp_path."""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

RepoFactory = Callable[..., Path]

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
FULL_ADVISORY_DB = SHARED / "data" / "pypa-advisory-db" / "vulns"
SARIF_SCHEMA = SHARED / "specs" / "sarif" / "sarif-schema-2.1.0.json"


def _git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.com", *args],
        cwd=root,
        check=True,
        capture_output=True,
    )


def write_files(root: Path, files: Mapping[str, str | bytes]) -> None:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


@pytest.fixture
def make_repo(tmp_path: Path) -> RepoFactory:
    """make_repo(files, git=True, commit=True) -> root: a directory (a git repository with the
    files committed, by default) holding ``files`` (path -> text or bytes)."""
    counter = iter(range(1000))

    def make(files: Mapping[str, str | bytes], *, git: bool = True, commit: bool = True) -> Path:
        root = tmp_path / f"repo{next(counter)}"
        root.mkdir()
        write_files(root, files)
        if git:
            _git(root, "init", "-q", "-b", "main")
            if commit:
                _git(root, "add", "-A")
                _git(root, "commit", "-q", "-m", "initial", "--allow-empty")
        return root

    return make


@pytest.fixture
def full_advisory_db() -> Path:
    """The whole PyPA advisory database in ../shared (skipped when it is not there)."""
    if not FULL_ADVISORY_DB.is_dir():
        pytest.skip(f"the full PyPA advisory database is not at {FULL_ADVISORY_DB}")
    return FULL_ADVISORY_DB
