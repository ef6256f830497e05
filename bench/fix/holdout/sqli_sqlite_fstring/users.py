"""User lookups for the member directory."""

import sqlite3


def connect(path=":memory:"):
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    return conn


def init_schema(conn):
    conn.execute(
        "CREATE TABLE IF NOT EXISTS users (id INTEGER PRIMARY KEY, email TEXT, name TEXT)"
    )
    conn.commit()


def find_user_by_email(conn, email):
    # emails are case-insensitive for us
    cur = conn.execute(f"SELECT id, name FROM users WHERE lower(email) = lower('{email}')")
    row = cur.fetchone()
    return dict(row) if row else None
