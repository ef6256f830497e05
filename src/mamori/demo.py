"""The demo: copy the bundled example into a fresh git repository and run the whole pipeline.

The example itself is never modified: everything happens in a temporary copy.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from mamori.errors import NotARepositoryError

_IGNORE = shutil.ignore_patterns(
    "__pycache__", ".pytest_cache", ".mamori", "*.pyc", ".venv", "instance"
)


def default_example() -> Path:
    """examples/payments-portal of the source tree Mamori is installed from."""
    return Path(__file__).resolve().parents[2] / "examples" / "payments-portal"


@dataclass(frozen=True, kw_only=True)
class DemoRepo:
    root: Path
    head: str


def prepare_demo_repo(example: Path, workdir: Path | None = None) -> DemoRepo:
    """Copy ``example`` into ``workdir`` (default: a new temporary directory) and commit it."""
    if not example.is_dir():
        raise NotARepositoryError(
            f"example {example} not found",
            hint="run from a checkout of Mamori, or pass --example PATH",
        )
    base = workdir or Path(tempfile.mkdtemp(prefix="mamori-demo-"))
    root = base / example.name
    if root.exists():
        raise NotARepositoryError(f"{root} already exists; choose another --workdir")
    shutil.copytree(example, root, ignore=_IGNORE)

    def git(*args: str) -> str:
        proc = subprocess.run(
            ["git", "-c", "init.defaultBranch=main", *args],
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
        )
        return proc.stdout.strip()

    git("init", "-q")
    git("config", "user.name", "Payments Team")
    git("config", "user.email", "payments-team@example.com")
    git("add", "-A")
    git("commit", "-q", "-m", "Import payments-portal")
    return DemoRepo(root=root, head=git("rev-parse", "HEAD"))
