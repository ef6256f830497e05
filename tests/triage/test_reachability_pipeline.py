"""``mamori run``: a pattern-only finding the dataflow engine found unreached stays open and in
the store, gets no automatic patch by default (recorded in the ledger with the reason), and is
fixed again when ``[fix] pattern_only = "fix"``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from mamori.config import Config
from mamori.domain import FindingStatus
from mamori.pipeline import Pipeline, PipelineOptions, RunSummary
from mamori.store.sql import SqlStore
from mamori.triage.reachability import NO_FLOW_REASON

BUILD = """\
import subprocess

BUILD_DIR = "/srv/build"


def rebuild():
    cmd = "make -C " + BUILD_DIR
    return subprocess.run(cmd, shell=True, check=False)
"""


def _run(root: Path, store: SqlStore) -> RunSummary:
    return Pipeline.from_config(
        root=root,
        config=Config.load(root),
        store=store,
        options=PipelineOptions(actor="alice", engines=("mamori", "bandit"), exploits=False),
    ).run()


def test_held_by_default_and_fixed_on_request(
    make_repo: Callable[[dict[str, str]], Path], tmp_path: Path
) -> None:
    root = make_repo({"app/build.py": BUILD})
    store = SqlStore.open(f"sqlite:///{tmp_path / 'review.db'}")
    try:
        summary = _run(root, store)
        [shell] = [f for f in summary.findings if f.cwe == 78]
        assert shell.engines == ("bandit",) and not shell.flow
        # Kept, open and visible, with the reason; no patch was proposed for it.
        assert store.get_finding(shell.id).status is FindingStatus.OPEN
        reasons = dict(summary.skipped)
        assert NO_FLOW_REASON in reasons[shell.id]
        assert store.patches(finding_id=shell.id) == []
        assert shell.id not in dict(summary.unfixable)
        [held] = list(store.events(kinds=["fix.held_for_review"]))
        assert held.subject == shell.id and held.payload["reason"] == NO_FLOW_REASON
        [triaged] = list(store.events(kinds=["triage.completed"]))
        assert triaged.payload["no_dataflow_path"] == [
            {"finding": shell.id, "reason": NO_FLOW_REASON}
        ]
    finally:
        store.close()

    root = make_repo({"app/build.py": BUILD, "mamori.toml": '[fix]\npattern_only = "fix"\n'})
    store = SqlStore.open(f"sqlite:///{tmp_path / 'fix.db'}")
    try:
        summary = _run(root, store)
        [shell] = [f for f in summary.findings if f.cwe == 78]
        assert shell.id not in dict(summary.skipped)
        # It went to the fixers: a hardening patch, or a recorded "no automatic fix".
        patched = {o.patch.finding_id for o in summary.patches}
        assert shell.id in patched or shell.id in dict(summary.unfixable)
        assert list(store.events(kinds=["fix.held_for_review"])) == []
    finally:
        store.close()
