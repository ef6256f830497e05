"""Alembic environment for Mamori's state store.

:meth:`mamori.store.sql.SqlStore.open` runs the migrations programmatically and passes its own
connection in ``config.attributes["connection"]`` (already inside a transaction that holds the
database's write lock). Run from the command line (``alembic -x url=...`` or
``sqlalchemy.url``), it opens its own engine.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine

from mamori.store.models import Base

target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things; batch mode recreates tables for later migrations.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations() -> None:
    config = context.config
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option(
        "sqlalchemy.url"
    )
    if not url:
        raise RuntimeError("no database: pass -x url=... or set sqlalchemy.url")
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            _run(conn)
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise RuntimeError("offline (--sql) migrations are not supported for Mamori's store")
run_migrations()
