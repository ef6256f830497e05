"""Identifiers and timestamps the store assigns.

Kept apart from :mod:`mamori.store.sql` so that other stages can compute a finding's id
(``finding_id(repo, fingerprint)``) without importing SQLAlchemy.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime

from mamori.domain import FindingId, RunId

__all__ = ["finding_id", "new_run_id", "utc_now"]


def utc_now() -> str:
    """The current time as ISO 8601 UTC with microseconds (``2025-01-31T12:00:00.000000Z``)."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def new_run_id(now: datetime | None = None) -> RunId:
    """``R-YYYYMMDD-HHMMSS-<6 hex>``: sortable by start time, random suffix against clashes."""
    now = now or datetime.now(UTC)
    return RunId(f"R-{now:%Y%m%d-%H%M%S}-{secrets.token_hex(3)}")


def finding_id(repo: str, fingerprint: str) -> FindingId:
    """The stable id of the finding with ``fingerprint`` in ``repo``: ``F-`` + 10 hex."""
    digest = hashlib.sha256(f"{repo}\x1f{fingerprint}".encode()).hexdigest()
    return FindingId(f"F-{digest[:10]}")
