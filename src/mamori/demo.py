"""The demo: copy the bundled example into a fresh git repository and run the whole pipeline.

The example itself is never modified: everything happens in a temporary copy.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from mamori.errors import NotARepositoryError
from mamori.gitutil import git
from mamori.ledger.verify import LedgerReport
from mamori.pipeline import Progress, RunSummary

DEMO_ACTOR = "demo-operator"

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


@dataclass(frozen=True, kw_only=True)
class DemoResult:
    repo: DemoRepo
    summary: RunSummary
    ledger: LedgerReport
    branch_log: str  # `git log --oneline main..<branch>`, "" when nothing was delivered


def run_demo(
    example: Path, workdir: Path | None = None, *, progress: Progress | None = None
) -> DemoResult:
    """Copy the example into a new repository, run the pipeline there, verify the ledger."""
    from mamori.actions import Workspace, check_ledger
    from mamori.pipeline import PipelineOptions

    repo = prepare_demo_repo(example, workdir)
    with Workspace.open(repo.root) as ws:
        summary = ws.run_pipeline(
            PipelineOptions(actor=DEMO_ACTOR), progress or (lambda stage, message: None)
        )
        ledger = check_ledger(ws)
    log = ""
    if summary.branch:
        log = git(["log", "--oneline", f"main..{summary.branch}"], cwd=repo.root).stdout
    return DemoResult(repo=repo, summary=summary, ledger=ledger, branch_log=log.rstrip())


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

    def run(*args: str) -> str:
        return git(list(args), cwd=root).stdout.strip()

    run("-c", "init.defaultBranch=main", "init", "-q")
    run("config", "user.name", "Payments Team")
    run("config", "user.email", "payments-team@example.com")
    run("add", "-A")
    run("commit", "-q", "-m", "Import payments-portal")
    return DemoRepo(root=root, head=run("rev-parse", "HEAD"))
