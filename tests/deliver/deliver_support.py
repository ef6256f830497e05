"""Helpers for the delivery tests: a tiny real git project with a test, and patches for it."""

from __future__ import annotations

import difflib
import subprocess
from pathlib import Path

from mamori.domain import FindingId, FixerId, Patch, PatchId, RiskClass, Strategy

CALC_PY = """\
def add(a, b):
    return a + b


def mul(a, b):
    return a * b
"""

TEST_CALC_PY = """\
from calc import add, mul


def test_add():
    assert add(2, 3) == 5


def test_mul():
    assert mul(2, 3) == 6
"""


def git(repo: Path, *args: str) -> str:
    proc = subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.com", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    )
    return proc.stdout.strip()


def make_project(root: Path) -> str:
    root.mkdir(parents=True)
    git(root, "init", "-q", "-b", "main")
    (root / "calc.py").write_text(CALC_PY)
    (root / "pytest.ini").write_text("[pytest]\n")
    (root / "test_calc.py").write_text(TEST_CALC_PY)
    git(root, "add", "-A")
    git(root, "commit", "-q", "--no-verify", "-m", "initial")
    return git(root, "rev-parse", "HEAD")


def make_diff(path: str, old: str, new: str) -> str:
    lines = difflib.unified_diff(
        old.splitlines(keepends=True),
        new.splitlines(keepends=True),
        fromfile=f"a/{path}",
        tofile=f"b/{path}",
    )
    return "".join(lines)


def make_patch(pid: str, diff: str, files: tuple[str, ...] = ("calc.py",)) -> Patch:
    return Patch(
        id=PatchId(pid),
        finding_id=FindingId(f"finding-{pid}"),
        fixer_id=FixerId("test:fix"),
        strategy=Strategy.DETERMINISTIC,
        risk=RiskClass.LOW,
        risk_reason="test",
        description="test patch",
        diff=diff,
        files=files,
        requested_by="tester",
    )


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file of the working tree and the git state the user sees, as bytes."""
    files = {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".git" not in p.relative_to(root).parts
    }
    git_dir = root / ".git"
    files[".git/HEAD"] = (git_dir / "HEAD").read_bytes()
    files[".git/index"] = (git_dir / "index").read_bytes()
    files["refs/heads/main"] = git(root, "rev-parse", "refs/heads/main").encode()
    return files
