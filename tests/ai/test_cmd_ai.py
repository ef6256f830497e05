"""``mamori ai usage`` on a real store with recorded calls."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from typer.testing import CliRunner

from mamori.ai.usage import CallLog, CallRecord
from mamori.cli.main import app
from mamori.store.sql import SqlStore


class _Proc:
    def __init__(self, returncode: int, stdout: str, stderr: str) -> None:
        self.returncode, self.stdout, self.stderr = returncode, stdout, stderr


def mamori(*args: str) -> _Proc:
    # In-process (the CLI's own parsing and printing), to keep the test fast.
    result = CliRunner().invoke(app, list(args), env={"COLUMNS": "200"})
    return _Proc(result.exit_code, result.stdout, repr(result.exception))


def record(log: CallLog, *, at: str, team: str, model: str, tokens: int, cost: float) -> None:
    log.add(
        CallRecord(
            at=at,
            run_id="R-1",
            team=team,
            task="triage",
            subject="F-1",
            backend="b",
            model=model,
            prompt_version="triage/1",
            prompt_sha256="2" * 64,
            data_class="internal",
            outcome="ok",
            error="",
            attempt=1,
            input_tokens=tokens,
            output_tokens=10,
            cost=cost,
            latency_ms=5,
            redactions=0,
            request_sha256="0" * 64,
            response_sha256="1" * 64,
            request_body="{}",
            response_body="{}",
        )
    )


def test_usage_prints_spend_by_team_model_and_day(
    make_repo: Callable[[dict[str, str]], Path],
) -> None:
    root = make_repo({"a.py": "x = 1\n"})
    db = f"sqlite:///{root / 'state.db'}"
    store = SqlStore.open(db)
    log = CallLog(store.engine)
    record(
        log, at="2026-11-27T10:00:00+00:00", team="retail", model="claude-x", tokens=100, cost=0.5
    )
    record(
        log, at="2026-11-27T11:00:00+00:00", team="retail", model="claude-x", tokens=200, cost=0.25
    )
    record(log, at="2026-11-28T09:00:00+00:00", team="payments", model="qwen", tokens=50, cost=0.0)
    store.close()

    proc = mamori("ai", "usage", "-C", str(root), "--db", db)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    retail = next(line for line in lines if "retail" in line)
    assert "2026-11-27" in retail and "claude-x" in retail and "0.7500" in retail
    assert "payments" in proc.stdout and "qwen" in proc.stdout
    assert "total: 3 calls" in proc.stdout

    rows = json.loads(mamori("ai", "usage", "-C", str(root), "--db", db, "--json").stdout)
    assert {(r["team"], r["model"], r["day"], r["calls"]) for r in rows} == {
        ("retail", "claude-x", "2026-11-27", 2),
        ("payments", "qwen", "2026-11-28", 1),
    }
    since = json.loads(
        mamori("ai", "usage", "-C", str(root), "--db", db, "--json", "--since", "2026-11-28").stdout
    )
    assert [r["team"] for r in since] == ["payments"]
