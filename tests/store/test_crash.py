"""Crash safety and cross-process serialisation with real child processes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mamori.ledger.verify import verify_ledger
from mamori.store.sql import SqlStore

WRITER = Path(__file__).with_name("store_writer.py")


def spawn(url: str, mode: str, count: int = 0) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(WRITER), url, mode, str(count)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for_commits(proc: subprocess.Popen[str], n: int, timeout: float = 30) -> int:
    assert proc.stdout is not None
    deadline = time.monotonic() + timeout
    last = 0
    while last < n:
        line = proc.stdout.readline()
        if not line:
            raise AssertionError(
                f"writer exited early: {proc.stderr.read() if proc.stderr else ''}"
            )
        last = int(line)
        assert time.monotonic() < deadline, "writer too slow"
    return last


def assert_consistent(url: str, at_least: int) -> int:
    with SqlStore.open(url) as store:
        report = verify_ledger(store.events(), store.ledger_head())
        assert report.ok, report.problem
        events = list(store.events())
        runs = store.list_runs("/r")
        # Each transaction wrote one run, two findings and one event: all or nothing.
        assert len(events) == len(runs) >= at_least
        assert {e.subject for e in events} == {r.id for r in runs}
        assert len(store.findings("/r")) == 2 * len(runs)
        for run in runs:
            assert len(store.run_deltas(run.id)) == 2
        return len(events)


@pytest.mark.parametrize("kills", [3])
def test_sigkill_mid_transaction_leaves_a_consistent_store(store_url: str, kills: int) -> None:
    SqlStore.open(store_url).close()  # migrate once, outside the timed part
    total = 0
    for round_ in range(kills):
        proc = spawn(store_url, "loop")
        try:
            committed = wait_for_commits(proc, 5)
            # Let it run into the middle of some later transaction, then kill it hard.
            time.sleep(0.05 + 0.03 * round_)
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        assert proc.returncode == -signal.SIGKILL
        now = assert_consistent(store_url, total + committed)
        assert now > total
        total = now


def test_concurrent_appends_form_one_chain(store_url: str) -> None:
    SqlStore.open(store_url).close()
    procs = [spawn(store_url, "append", 25) for _ in range(4)]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
    with SqlStore.open(store_url) as store:
        events = list(store.events())
        assert [e.seq for e in events] == list(range(1, 101))
        report = verify_ledger(events, store.ledger_head())
        assert report.ok, report.problem
        assert report.events_checked == 100
