"""The append-only, hash-chained ledger: every stage appends evidence, anyone can verify it."""

from mamori.ledger.chain import GENESIS, canonical_json, event_hash
from mamori.ledger.verify import LedgerProblem, LedgerReport, verify_ledger

__all__ = [
    "GENESIS",
    "LedgerProblem",
    "LedgerReport",
    "canonical_json",
    "event_hash",
    "verify_ledger",
]
