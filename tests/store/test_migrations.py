"""The Alembic migrations and the ORM models describe the same schema."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Column, Integer, MetaData, String, Table, inspect

from mamori.store.models import Base
from mamori.store.sql import MIGRATIONS_DIR, SqlStore


def test_models_match_migrations(store_url: str) -> None:
    with SqlStore.open(store_url) as store, store.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, Base.metadata)
    assert diff == []


def test_comparison_detects_drift(store_url: str) -> None:
    # Guard against a comparison that can never fail: an extra model table must show up.
    metadata = MetaData()
    for table in Base.metadata.tables.values():
        table.to_metadata(metadata)
    Table("extra", metadata, Column("id", Integer, primary_key=True), Column("x", String(5)))
    with SqlStore.open(store_url) as store, store.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, metadata)
    assert [d[0] for d in diff] == ["add_table"]


def test_single_head_and_every_table_created(store_url: str) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    script = ScriptDirectory.from_config(config)
    assert len(script.get_heads()) == 1
    with SqlStore.open(store_url) as store:
        tables = set(inspect(store.engine).get_table_names())
    assert set(Base.metadata.tables) | {"alembic_version"} == tables


def test_head_row_is_seeded(store: SqlStore) -> None:
    with store.engine.connect() as conn:
        rows = conn.exec_driver_sql("SELECT id, seq, hash FROM ledger_head").all()
    assert [tuple(r) for r in rows] == [(1, 0, "0" * 64)]
