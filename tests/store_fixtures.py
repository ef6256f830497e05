"""Store fixtures for the store and ledger tests: a fresh SQLite or PostgreSQL store."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from pathlib import Path

import pytest

from mamori.store.sql import SqlStore
from mamori.store.testing import (
    REQUIRE_SERVICES_ENV,
    isolated_postgres_schema,
    postgres_unavailable_reason,
    services_required,
)

BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
]


@functools.cache
def _postgres_unavailable() -> str | None:
    return postgres_unavailable_reason()


def require_postgres() -> None:
    reason = _postgres_unavailable()
    if reason is None:
        return
    if services_required():
        pytest.fail(f"{reason} ({REQUIRE_SERVICES_ENV}=1)")
    pytest.skip(reason)


@pytest.fixture(params=BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL for an empty database of its own (a temp file, or a fresh PostgreSQL schema)."""
    if request.param == "sqlite":
        yield SqlStore.default_url(tmp_path / "repo")
        return
    require_postgres()
    with isolated_postgres_schema() as url:
        yield url


@pytest.fixture
def store(store_url: str) -> Iterator[SqlStore]:
    s = SqlStore.open(store_url)
    try:
        yield s
    finally:
        s.close()
