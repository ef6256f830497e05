"""Helpers for tests that need a real database (used by Mamori's own test suite).

PostgreSQL tests run against ``MAMORI_TEST_POSTGRES_URL`` (default
``postgresql+psycopg://postgres@127.0.0.1:5432/test``), each in a schema of its own that is
dropped afterwards, so tests neither see each other's data nor depend on their order.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

__all__ = [
    "DEFAULT_POSTGRES_URL",
    "POSTGRES_URL_ENV",
    "REQUIRE_SERVICES_ENV",
    "isolated_postgres_schema",
    "postgres_test_url",
    "postgres_unavailable_reason",
    "services_required",
]

POSTGRES_URL_ENV = "MAMORI_TEST_POSTGRES_URL"
REQUIRE_SERVICES_ENV = "MAMORI_REQUIRE_SERVICES"
DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def postgres_test_url() -> str:
    return os.environ.get(POSTGRES_URL_ENV) or DEFAULT_POSTGRES_URL


def services_required() -> bool:
    """True when ``MAMORI_REQUIRE_SERVICES=1``: missing services fail tests, not skip them."""
    return os.environ.get(REQUIRE_SERVICES_ENV, "") == "1"


def postgres_unavailable_reason(url: str | None = None) -> str | None:
    """None if PostgreSQL at ``url`` accepts a connection, else why not (for a skip reason)."""
    url = url or postgres_test_url()
    shown = make_url(url).render_as_string(hide_password=True)
    try:
        engine = create_engine(url, connect_args={"connect_timeout": 3})
    except (SQLAlchemyError, ImportError) as e:
        return f"PostgreSQL URL {shown} unusable: {e}"
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except SQLAlchemyError as e:
        first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        return f"PostgreSQL not reachable at {shown} (set {POSTGRES_URL_ENV}): {first}"
    finally:
        engine.dispose()
    return None


@contextmanager
def isolated_postgres_schema(url: str | None = None) -> Iterator[str]:
    """Create a fresh schema, yield a URL whose connections use it, then drop it."""
    base = make_url(url or postgres_test_url())
    schema = f"mamori_test_{secrets.token_hex(6)}"
    admin = create_engine(base)
    try:
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        scoped = base.update_query_dict({"options": f"-csearch_path={schema}"})
        yield scoped.render_as_string(hide_password=False)
    finally:
        try:
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        finally:
            admin.dispose()
