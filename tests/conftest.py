"""Shared fixtures: real git repositories in temporary directories."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = REPO_ROOT / "examples" / "payments-portal"
SHARED = REPO_ROOT.parent / "shared"


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "init.defaultBranch=main", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def init_repo(root: Path, files: dict[str, str]) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
    git(root, "init", "-q")
    git(root, "config", "user.name", "Test Author")
    git(root, "config", "user.email", "author@example.com")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "initial")
    return root


@pytest.fixture
def make_repo(tmp_path: Path) -> Callable[[dict[str, str]], Path]:
    counter = iter(range(1000))

    def make(files: dict[str, str]) -> Path:
        return init_repo(tmp_path / f"repo{next(counter)}", files)

    return make


@pytest.fixture(autouse=True)
def _isolated_actor(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests decide who acts; the developer's MAMORI_* settings never leak in."""
    for name in list(os.environ):
        if (
            name.startswith("MAMORI_")
            and name != "MAMORI_REQUIRE_SERVICES"
            and not name.startswith("MAMORI_TEST_")
        ):
            monkeypatch.delenv(name, raising=False)
