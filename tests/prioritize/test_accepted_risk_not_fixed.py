"""A risk acceptance stops Mamori proposing fixes for its finding until it expires."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from mamori.config import Config
from mamori.domain import Finding, FindingStatus
from mamori.pipeline import Pipeline, PipelineOptions, RunSummary
from mamori.prioritize.queue import accept_risk
from mamori.store.sql import SqlStore

APP = """\
import subprocess

import yaml


def load(text):
    return yaml.load(text, Loader=yaml.Loader)


def ping(host):
    return subprocess.run(f"ping -c 1 {host}", shell=True, check=False)
"""


def _run(root: Path, store: SqlStore, *, fixers: bool = True) -> RunSummary:
    pipeline = Pipeline.from_config(
        root=root,
        config=Config.load(root),
        store=store,
        options=PipelineOptions(actor="alice", engines=("mamori", "bandit"), exploits=False),
    )
    if not fixers:
        pipeline.fixers = ()  # the run only finds and records
    return pipeline.run()


def _yaml_finding(summary: RunSummary) -> Finding:
    [finding] = [f for f in summary.findings if f.location.start_line == 7]
    return finding


def test_accepted_finding_gets_no_fix_until_the_acceptance_expires(
    make_repo: Callable[[dict[str, str]], Path], tmp_path: Path
) -> None:
    root = make_repo({"app.py": APP})
    store = SqlStore.open(f"sqlite:///{tmp_path / 'mamori.db'}")
    try:
        # A first run without fixers: the findings are known and open.
        first = _run(root, store, fixers=False)
        accepted = _yaml_finding(first)
        assert accepted.status is FindingStatus.OPEN
        accept_risk(
            store,
            accepted.id,
            owner="ciso",
            reason="input is trusted config",
            expires=datetime(2999, 1, 1),
            actor="carol",
        )

        second = _run(root, store)
        fixed_ids = {o.patch.finding_id for o in second.patches}
        assert accepted.id not in fixed_ids
        assert fixed_ids, "the other finding is still fixed: fixing itself works"
        reasons = dict(second.skipped)
        assert reasons[accepted.id].startswith("risk accepted by ciso until 2999-01-01")
        assert "input is trusted config" in reasons[accepted.id]
        assert store.patches(finding_id=accepted.id) == []

        # Time passes: the acceptance ends (a replacement acceptance that ended in the past
        # stands for "the expiry date went by"), and the next run reopens and fixes it.
        store.accept_risk(
            accepted.id,
            owner="ciso",
            reason="input is trusted config",
            expires="2001-01-01T00:00:00.000000Z",
            actor="carol",
        )
        third = _run(root, store)
        assert accepted.id not in dict(third.skipped)
        assert accepted.id in {o.patch.finding_id for o in third.patches}
        expired = [e for e in store.events() if e.kind == "risk.acceptance_expired"]
        assert [e.subject for e in expired] == [accepted.id]
        assert store.risk_acceptances(str(root), active_only=True) == []
    finally:
        store.close()
