"""``mamori ledger`` and ``mamori evidence`` through the real command line (a git repository,
SQLite in .mamori, keys in .mamori/keys)."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from mamori.store.sql import SqlStore


def mamori(*args: str, cwd: Path, env: dict[str, str] | None = None) -> Result:
    """In process (fast); ``--repo`` stands for the working directory."""
    from mamori.cli.main import app

    extra = ["--repo", str(cwd)] if args[0] == "ledger" or args[1] == "export" else []
    sub, rest = list(args[:2]), list(args[2:])
    return CliRunner().invoke(app, [*sub, *extra, *rest], env=env, catch_exceptions=True)


def mamori_process(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mamori.cli.main", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "COLUMNS": "200", **(env or {})},
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    with SqlStore.open(SqlStore.default_url(root)) as store:
        run = store.begin_run(repo=str(root), actor="alice", head_commit=None, options={})
        for i in range(6):
            store.record("scan.completed", actor="bandit", run_id=run.id, payload={"i": i})
    return root


def test_checkpoint_prove_consistency_verify_and_evidence(repo: Path, tmp_path: Path) -> None:
    witness = tmp_path / "witness"
    env = {"MAMORI_LEDGER_WITNESS_DIR": str(witness)}
    key = mamori("ledger", "key", cwd=repo, env=env)
    assert key.exit_code == 0, key.output
    vkey = key.output.strip()
    key_file = repo / ".mamori" / "keys" / "ledger.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    cp = mamori("ledger", "checkpoint", "--json", cwd=repo, env=env)
    assert cp.exit_code == 0, (cp.output, cp.exception)
    assert json.loads(cp.output)["tree_size"] == 7
    assert len(list(witness.glob("checkpoint-*.note"))) == 1
    proof = json.loads(mamori("ledger", "prove", "3", "--json", cwd=repo, env=env).output)
    assert proof["tree_size"] == 7 and len(proof["path"]) == 3
    rotated = mamori("ledger", "rotate-key", cwd=repo, env=env)
    assert rotated.exit_code == 0, (rotated.output, rotated.exception)
    cons = json.loads(
        mamori("ledger", "consistency", "cp:1", "cp:2", "--json", cwd=repo, env=env).output
    )
    assert (cons["old_size"], cons["new_size"]) == (7, 8)
    ok = mamori("ledger", "verify", "--key", vkey, cwd=repo, env=env)
    assert ok.exit_code == 0, (ok.output, ok.exception)
    assert "2 checkpoints" in ok.output and "2 witness copies" in ok.output

    run_id = json.loads(mamori("ledger", "show", "--json", cwd=repo).output)[0]["run_id"]
    bundle = tmp_path / "bundle.zip"
    exported = mamori("evidence", "export", "--run", run_id, "-o", str(bundle), cwd=repo, env=env)
    assert exported.exit_code == 0, (exported.output, exported.exception)
    checked = mamori("evidence", "verify", str(bundle), "--key", vkey, cwd=tmp_path)
    assert checked.exit_code == 0, (checked.output, checked.exception)
    assert "bundle OK" in checked.output

    # Rewrite history with the database alone: verify exits with the ledger-tampered code.
    con = sqlite3.connect(repo / ".mamori" / "mamori.db")
    con.execute("UPDATE ledger_events SET payload = '{\"i\":9}' WHERE seq = 2")
    con.commit()
    con.close()
    bad = mamori_process("ledger", "verify", cwd=repo, env=env)
    assert bad.returncode == 8  # ExitCode.LEDGER_TAMPERED
    assert "event 2 (scan.completed): content does not match its hash (edited)" in bad.stderr


def test_http_witness_from_the_command_line(repo: Path, tmp_path: Path) -> None:
    """`mamori ledger witness-serve` in a real process; checkpoint and verify use it."""
    import socket
    import time
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    served = tmp_path / "served"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mamori.cli.main",
            "ledger",
            "witness-serve",
            str(served),
            "--port",
            str(port),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}/checkpoints"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(url, timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        env = {"MAMORI_LEDGER_WITNESS_URL": url}
        cp = mamori_process("ledger", "checkpoint", cwd=repo, env=env)
        assert cp.returncode == 0, cp.stderr
        assert len(list(served.glob("checkpoint-000000000007-*.note"))) == 1
        ok = mamori_process("ledger", "verify", cwd=repo, env=env)
        assert ok.returncode == 0, ok.stderr
        assert "1 checkpoints" in ok.stdout and "1 witness copies" in ok.stdout
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    # The witness is gone: the next checkpoint stands, the failure is shown and recorded.
    down = mamori_process("ledger", "checkpoint", cwd=repo, env=env)
    assert down.returncode == 0, down.stderr
    assert down.stderr.count("cannot send the checkpoint of size 7") == 1
    assert "recorded in the ledger as ledger.witness.failed" in down.stderr
    shown = mamori_process("ledger", "show", "--json", cwd=repo)
    assert json.loads(shown.stdout)[-1]["kind"] == "ledger.witness.failed"
    local = mamori_process("ledger", "verify", cwd=repo)
    assert local.returncode == 0, local.stderr
