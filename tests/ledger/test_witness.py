"""Second copies of checkpoints: an HTTP witness (a real server on a local port) and a
directory. Publishing failures are recorded in the ledger; verify compares the copies."""

from __future__ import annotations

import json
import socket
import threading
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from mamori.errors import ConfigError
from mamori.ledger.keys import Ed25519FileSigner
from mamori.ledger.note import format_checkpoint
from mamori.ledger.service import WITNESS_FAILED, Ledger
from mamori.ledger.settings import LedgerSettings
from mamori.ledger.witness import WitnessServer
from mamori.store.sql import SqlStore
from tests.ledger.conftest import add_run_events
from tests.ledger.test_merkle_ledger import rehash_chain, sql


@pytest.fixture
def server(tmp_path: Path) -> Iterator[WitnessServer]:
    with WitnessServer(tmp_path / "witness-server") as s:
        yield s


def http_ledger(store: SqlStore, tmp_path: Path, url: str) -> Ledger:
    settings = LedgerSettings(
        key_path=tmp_path / "keys" / "ledger.key",
        witness_dir=None,
        witness_url=url,
        origin="mamori.test/log",
    )
    return Ledger(store, settings=settings)


def held(url: str) -> list[str]:
    with urllib.request.urlopen(url, timeout=5) as response:
        notes: list[str] = json.loads(response.read())["checkpoints"]
    return notes


def failures(store: SqlStore) -> list[dict[str, object]]:
    return [e.payload for e in store.events(kinds={WITNESS_FAILED})]


def test_every_checkpoint_is_posted_and_verify_compares_the_copies(
    store: SqlStore, tmp_path: Path, server: WitnessServer
) -> None:
    ledger = http_ledger(store, tmp_path, server.url)
    add_run_events(store, 5)
    cp1 = ledger.checkpoint()
    add_run_events(store, 3)
    cp2 = ledger.checkpoint()
    assert ledger.witness_failures == []
    assert held(server.url) == [cp1.note, cp2.note]  # exactly the signed notes
    assert len(list(server.store.directory.glob("checkpoint-*.note"))) == 2
    report = ledger.audit(pinned=ledger.public_key())
    assert report.ok, report.problem
    assert (report.checkpoints_checked, report.witness_checked, report.unwitnessed) == (2, 2, ())


def test_history_rewritten_and_local_checkpoints_replaced_is_named(
    store: SqlStore, tmp_path: Path, server: WitnessServer
) -> None:
    ledger = http_ledger(store, tmp_path, server.url)
    add_run_events(store, 5)
    original = ledger.checkpoint()
    # A forger with the database and the key: edit, re-hash, replace the checkpoints.
    sql(store, "UPDATE ledger_events SET subject = 'F-x' WHERE seq = 2")
    rehash_chain(store)
    sql(store, "DELETE FROM ledger_checkpoints")
    forged = ledger.checkpoint()
    assert forged.tree_size == original.tree_size and forged.root_hash != original.root_hash
    # The witness refused the second root for the same size, and the refusal is on record.
    assert len(ledger.witness_failures) == 1
    assert "refused the checkpoint of size 6 (HTTP 409" in ledger.witness_failures[0]
    (failure,) = failures(store)
    assert failure["witness"] == server.url and failure["tree_size"] == 6
    assert held(server.url) == [original.note]
    report = ledger.audit()
    assert not report.ok and report.problem is not None
    assert report.problem.startswith(
        f"witness copy of size 6 (root {original.root_hash[:16]}...) at {server.url}: "
        "the witness holds root "
    )
    assert f"{original.root_hash[:16]}... for tree size 6 but the local checkpoint" in (
        report.problem
    )
    assert "history rewritten after the witness saw it" in report.problem


def test_unreachable_witness_is_recorded_not_ignored(store: SqlStore, tmp_path: Path) -> None:
    with socket.socket() as s:  # a port with nothing listening
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}/checkpoints"
    ledger = http_ledger(store, tmp_path, url)
    add_run_events(store, 3)
    cp = ledger.checkpoint()  # the checkpoint itself stands
    assert store.checkpoints() == [cp]
    assert len(ledger.witness_failures) == 1
    assert (
        f"cannot send the checkpoint of size 4 to the witness {url}" in (ledger.witness_failures[0])
    )
    (failure,) = failures(store)
    assert failure["checkpoint"] == cp.id and "cannot send" in str(failure["error"])
    # Verify cannot compare with a witness it cannot reach: it says so (fails closed).
    report = ledger.audit()
    assert not report.ok and report.problem is not None
    assert f"cannot read the checkpoints held by the witness {url}" in report.problem
    # Without the witness the local ledger verifies, and the failure is reported.
    local = Ledger(store, settings=LedgerSettings(**{**vars(ledger.settings), "witness_url": None}))
    assert local.audit().ok


class _Failing(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass

    def _fail(self) -> None:
        body = b"disk full\n"
        self.send_response(500)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _fail


def test_witness_server_error_is_recorded(store: SqlStore, tmp_path: Path) -> None:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Failing)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{httpd.server_address[1]}/w"
        ledger = http_ledger(store, tmp_path, url)
        add_run_events(store, 2)
        ledger.checkpoint()
        assert ledger.witness_failures == [
            f"the witness {url} refused the checkpoint of size 3 (HTTP 500: disk full)"
        ]
        assert len(failures(store)) == 1
        report = ledger.audit()
        assert report.problem is not None and "(HTTP 500)" in report.problem
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def test_forged_or_foreign_copies_at_the_witness(
    store: SqlStore, tmp_path: Path, server: WitnessServer
) -> None:
    ledger = http_ledger(store, tmp_path, server.url)
    add_run_events(store, 3)
    cp = ledger.checkpoint()
    other = Ed25519FileSigner.generate(name="mamori.test/log")
    # Another log's checkpoint at a shared witness is not this log's business.
    foreign = format_checkpoint(
        origin="elsewhere/log", size=99, root=b"\x01" * 32, time=cp.at, signer=other
    )
    (server.store.directory / "checkpoint-000000000099-0101010101010101.note").write_text(
        foreign.note
    )
    assert ledger.audit().ok
    # A copy of this log signed by another key is named as such (before any root comparison).
    forged = format_checkpoint(
        origin="mamori.test/log", size=cp.tree_size, root=b"\x02" * 32, time=cp.at, signer=other
    )
    (server.store.directory / "checkpoint-000000000004-0202020202020202.note").write_text(
        forged.note
    )
    report = ledger.audit()
    assert report.problem is not None
    assert report.problem.startswith(
        f"witness copy of size 4 (root 0202020202020202...) at {server.url}: "
    )
    assert "(forged signature or wrong key)" in report.problem


def test_copy_at_the_witness_missing_locally_is_named(
    store: SqlStore, tmp_path: Path, server: WitnessServer
) -> None:
    ledger = http_ledger(store, tmp_path, server.url)
    add_run_events(store, 3)
    first = ledger.checkpoint()
    add_run_events(store, 2)
    ledger.checkpoint()
    sql(store, "DELETE FROM ledger_checkpoints WHERE id = :i", i=first.id)
    report = ledger.audit()
    assert report.problem == (
        f"witness copy of size 4 (root {first.root_hash[:16]}...) at {server.url}: the witness "
        "holds a checkpoint of size 4 that is missing from the local ledger (checkpoints "
        "deleted or replaced)"
    )


def test_checkpoints_made_before_the_witness_are_reported(
    store: SqlStore, tmp_path: Path, server: WitnessServer, settings: LedgerSettings
) -> None:
    add_run_events(store, 3)
    early = Ledger(store, settings=LedgerSettings(**{**vars(settings), "witness_dir": None}))
    cp = early.checkpoint()
    add_run_events(store, 1)
    ledger = http_ledger(store, tmp_path, server.url)
    ledger.checkpoint()
    report = ledger.audit()
    assert report.ok and report.unwitnessed == (cp.id,)


def test_witness_url_from_file_and_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mamori.config import Config

    monkeypatch.delenv("MAMORI_LEDGER_WITNESS_URL", raising=False)
    (tmp_path / "mamori.toml").write_text('[ledger]\nwitness_url = "https://w.example/cp"\n')
    Config.load(tmp_path)  # the [ledger] section accepts the key
    assert LedgerSettings.load(tmp_path).witness_url == "https://w.example/cp"
    monkeypatch.setenv("MAMORI_LEDGER_WITNESS_URL", "http://127.0.0.1:1/x")
    assert LedgerSettings.load(tmp_path).witness_url == "http://127.0.0.1:1/x"
    monkeypatch.setenv("MAMORI_LEDGER_WITNESS_URL", "ftp://w.example/")
    with pytest.raises(ConfigError, match="must be an http:// or https:// URL"):
        LedgerSettings.load(tmp_path)
