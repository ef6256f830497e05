"""Ledger benchmark: append 100,000 events, checkpoint, and verify the whole ledger.

Usage: ``python bench/ledger/run.py [--events N] [--batch B] [--db URL]``

Every phase goes through the public API a run uses: ``Store.record`` inside
``Store.transaction()`` (the pipeline records a stage's events in one transaction),
``Store.record_many`` (one batch insert), ``Ledger.checkpoint`` (the first one hashes the whole
log, a later one only the events since the previous checkpoint) and ``Ledger.audit`` (what
``mamori ledger verify`` runs). Prints events/second and seconds for each phase, the ratio
against a baseline measured in the same run (SHA-256 of the same events' RFC 8785 bytes: the
least any verifier of this log must do), and the load average, since the machine is shared.
Every transaction is durable (SQLite synchronous=FULL).
Target on the reference machine: under 30 s for each of append and verify at 100,000 events.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import tempfile
import time
from pathlib import Path

from mamori.ledger.log import entry_bytes
from mamori.ledger.service import Ledger
from mamori.ledger.settings import LedgerSettings
from mamori.store.interface import NewEvent
from mamori.store.sql import SqlStore


def payload(i: int) -> dict[str, object]:
    return {
        "finding": f"F-{i:010x}",
        "rule": "mamori:python/sql-injection",
        "cwe": 89,
        "checks": {"parses": "passed", "tests_same": "passed"},
        "score": i / 7,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=1_000)
    parser.add_argument("--db", default=None, help="SQLAlchemy URL (default: a temporary SQLite)")
    args = parser.parse_args()
    n = args.events
    load_before = os.getloadavg()[0]

    with tempfile.TemporaryDirectory() as tmp:
        url = args.db or SqlStore.default_url(Path(tmp))
        settings = LedgerSettings(
            key_path=Path(tmp) / "keys" / "ledger.key", witness_dir=None, origin="bench/log"
        )
        with SqlStore.open(url) as store:
            ledger = Ledger(store, settings=settings)

            # Baseline: hash the canonical bytes of the same events, nothing else.
            t0 = time.perf_counter()
            for i in range(n):
                hashlib.sha256(
                    b"\x00"
                    + entry_bytes(
                        {
                            "seq": i + 1,
                            "at": "2026-01-01T00:00:00.000000Z",
                            "kind": "patch.verified",
                            "actor": "bench",
                            "run_id": "R-bench",
                            "subject": f"P-{i}",
                            "payload": payload(i),
                        }
                    )
                ).digest()
            baseline = time.perf_counter() - t0

            half = n // 2
            t0 = time.perf_counter()
            for start in range(0, half, args.batch):
                with store.transaction():
                    for i in range(start, min(half, start + args.batch)):
                        store.record(
                            "patch.verified",
                            actor="bench",
                            run_id="R-bench",
                            subject=f"P-{i}",
                            payload=payload(i),
                        )
            append = time.perf_counter() - t0

            t0 = time.perf_counter()
            for start in range(half, n, args.batch):
                store.record_many(
                    [
                        NewEvent(
                            kind="patch.verified",
                            actor="bench",
                            run_id="R-bench",
                            subject=f"P-{i}",
                            payload=payload(i),
                        )
                        for i in range(start, min(n, start + args.batch))
                    ]
                )
            append_many = time.perf_counter() - t0

            t0 = time.perf_counter()
            cp = ledger.checkpoint()
            checkpoint = time.perf_counter() - t0

            extra = max(1, args.batch)
            with store.transaction():
                for i in range(extra):
                    store.record("run.completed", actor="bench", run_id="R-next", subject=str(i))
            t0 = time.perf_counter()
            cp2 = ledger.checkpoint()
            checkpoint2 = time.perf_counter() - t0

            t0 = time.perf_counter()
            report = ledger.audit(pinned=ledger.public_key())
            verify = time.perf_counter() - t0
            if not report.ok:
                print(f"verification FAILED: {report.problem}", file=sys.stderr)
                return 1

    def line(name: str, seconds: float, count: int) -> None:
        print(
            f"{name:<42} {seconds:8.2f} s  {count / seconds:>10,.0f} events/s  "
            f"{seconds / baseline:6.1f}x baseline"
        )

    print(
        f"ledger benchmark: {n:,} events, {args.batch} per transaction, {url.split(':')[0]}; "
        f"load average {load_before:.2f} before, {os.getloadavg()[0]:.2f} after "
        f"({os.cpu_count()} CPUs)"
    )
    line("baseline (RFC 8785 + SHA-256)", baseline, n)
    line("append (store.record, in transactions)", append, half)
    line("append (store.record_many)", append_many, n - half)
    line(f"checkpoint (first, size {cp.tree_size:,})", checkpoint, cp.tree_size)
    line(
        f"checkpoint (+{cp2.tree_size - cp.tree_size:,} events)",
        checkpoint2,
        cp2.tree_size - cp.tree_size,
    )
    line("verify (ledger.audit: chain + tree + sigs)", verify, report.events_checked)
    total_append = append + append_many
    print(f"append of all {n:,} events: {total_append:.2f} s ({n / total_append:,.0f} events/s)")
    target = "met" if total_append < 30 and verify < 30 else "MISSED"
    print(f"target (< 30 s each for append and verify): {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
