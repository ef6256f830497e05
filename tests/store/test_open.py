"""Opening a store: creation, migration, and refusing what is not (or not yet) ours."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from mamori.errors import ExitCode, StoreError
from mamori.store.sql import SqlStore, default_url


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_default_url_and_creation(tmp_path: Path) -> None:
    url = default_url(tmp_path / "repo")
    assert url == f"sqlite:///{tmp_path.resolve()}/repo/.mamori/mamori.db"
    assert SqlStore.default_url(tmp_path / "repo") == url
    with SqlStore.open(url) as store:
        assert store.ledger_head() is None
    db = tmp_path / "repo" / ".mamori" / "mamori.db"
    assert db.is_file()
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        # One row: the head revision (whichever migration is the latest).
        assert len(conn.execute("SELECT version_num FROM alembic_version").fetchall()) == 1
    finally:
        conn.close()


def test_sqlite_pragmas_on_every_connection(tmp_path: Path) -> None:
    with SqlStore.open(default_url(tmp_path)) as store, store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10000
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_reopening_is_a_no_op(tmp_path: Path) -> None:
    url = default_url(tmp_path)
    with SqlStore.open(url) as store:
        store.record("x", actor="a")
    db = tmp_path / ".mamori" / "mamori.db"
    before = digest(db)
    with SqlStore.open(url) as store:
        assert store.ledger_head() is not None
    assert digest(db) == before


def test_not_a_database_is_left_untouched(tmp_path: Path) -> None:
    db = tmp_path / "notes.db"
    db.write_text("my precious notes\n" * 100)
    before = digest(db)
    with pytest.raises(StoreError) as exc:
        SqlStore.open(f"sqlite:///{db}")
    assert "not a SQLite database" in exc.value.message
    assert str(db) in exc.value.message
    assert exc.value.hint
    assert exc.value.exit_code is ExitCode.STORE_ERROR
    assert digest(db) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.db"]


def test_foreign_sqlite_database_is_left_untouched(tmp_path: Path) -> None:
    db = tmp_path / "app.db"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)")
    conn.execute("INSERT INTO users (name) VALUES ('alice')")
    conn.commit()
    conn.close()
    before = digest(db)
    with pytest.raises(StoreError) as exc:
        SqlStore.open(f"sqlite:///{db}")
    assert "not a Mamori one" in exc.value.message and "users" in exc.value.message
    assert digest(db) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["app.db"]


def test_corrupt_database(tmp_path: Path) -> None:
    db = tmp_path / "mamori.db"
    db.write_bytes(b"SQLite format 3\x00" + bytes(range(256)) * 64)
    before = digest(db)
    with pytest.raises(StoreError) as exc:
        SqlStore.open(f"sqlite:///{db}")
    assert str(db) in exc.value.message
    assert "corrupt" in (exc.value.hint or "")
    assert digest(db) == before


def test_truncated_database(tmp_path: Path) -> None:
    url = default_url(tmp_path)
    with SqlStore.open(url) as store:
        for i in range(50):
            store.record("x", actor="a", payload={"i": i, "pad": "x" * 500})
    db = tmp_path / ".mamori" / "mamori.db"
    # Fold the WAL into the file, then cut the file in half.
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 2])
    with pytest.raises(StoreError) as exc:
        store = SqlStore.open(url)
        try:
            list(store.events())
        finally:
            store.close()
    assert str(db) in exc.value.message


def test_unwritable_location(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StoreError) as exc:
        SqlStore.open(f"sqlite:///{blocker}/sub/mamori.db")
    assert "cannot create the directory" in exc.value.message
    assert str(blocker) in exc.value.message


def test_directory_in_place_of_the_file(tmp_path: Path) -> None:
    (tmp_path / "mamori.db").mkdir()
    with pytest.raises(StoreError, match="not a regular file"):
        SqlStore.open(f"sqlite:///{tmp_path / 'mamori.db'}")


def test_newer_schema_is_refused(store_url: str) -> None:
    with SqlStore.open(store_url) as store, store.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    with pytest.raises(StoreError) as exc:
        SqlStore.open(store_url)
    assert "'9999_future'" in exc.value.message
    assert "does not know" in exc.value.message
    assert "upgrade Mamori" in (exc.value.hint or "")


def test_invalid_url() -> None:
    with pytest.raises(StoreError, match="invalid database URL"):
        SqlStore.open("not a url at all")


def test_unreachable_postgres_hides_the_password() -> None:
    # Port 1 on localhost: nothing listens there, so the connection is refused at once.
    url = "postgresql+psycopg://mamori:s3cret-pw@127.0.0.1:1/none"
    with pytest.raises(StoreError) as exc:
        SqlStore.open(url)
    assert "s3cret-pw" not in exc.value.diagnostics()
    assert "mamori:***@127.0.0.1:1/none" in exc.value.message


def test_unknown_driver() -> None:
    with pytest.raises(StoreError) as exc:
        SqlStore.open("nosuchdb://u:pw123@h/db")
    assert "pw123" not in exc.value.diagnostics()
