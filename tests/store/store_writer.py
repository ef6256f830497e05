"""A child process for the crash and concurrency tests (run as a script, not collected).

usage: store_writer.py URL MODE COUNT
  MODE "loop":   forever, in one transaction: a run, two findings, a ledger event about the run;
                 prints the number of committed transactions after each commit.
  MODE "append": COUNT ledger appends (every third one inside a transaction with a run).
"""

from __future__ import annotations

import sys

from mamori.domain import (
    Confidence,
    EngineId,
    Finding,
    FindingId,
    Fingerprint,
    Location,
    RuleId,
    Severity,
    Source,
)
from mamori.store.sql import SqlStore


def finding(key: str) -> Finding:
    return Finding(
        id=FindingId("F-x"),
        fingerprint=Fingerprint(key),
        rule_id=RuleId("r"),
        cwe=89,
        message="m",
        location=Location(path="a.py", start_line=1),
        snippet="s",
        severity=Severity.LOW,
        confidence=Confidence.LOW,
        sources=(
            Source(
                engine=EngineId("e"),
                rule_id=RuleId("r"),
                message="m",
                severity=Severity.LOW,
                confidence=Confidence.LOW,
            ),
        ),
    )


def main() -> None:
    url, mode, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    store = SqlStore.open(url)
    if mode == "loop":
        done = 0
        while True:
            with store.transaction():
                run = store.begin_run(repo="/r", actor="w", head_commit=None, options={})
                store.save_findings(run.id, "/r", [finding(f"{run.id}/1"), finding(f"{run.id}/2")])
                store.record(
                    "run.saved",
                    actor="w",
                    run_id=run.id,
                    subject=run.id,
                    payload={"n": done, "pad": "x" * 200},
                )
            done += 1
            print(done, flush=True)
    for i in range(count):
        if i % 3 == 0:
            with store.transaction():
                run = store.begin_run(repo="/r", actor="w", head_commit=None, options={})
                store.record("append", actor="w", run_id=run.id, subject=run.id, payload={"i": i})
        else:
            store.record("append", actor="w", payload={"i": i})
    store.close()


if __name__ == "__main__":
    main()
