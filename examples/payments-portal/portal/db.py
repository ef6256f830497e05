"""SQLite access: one connection per application context, schema and seed data."""

from __future__ import annotations

import csv
import os
import sqlite3

import click
from flask import Flask, current_app, g

from .security import hash_password

SCHEMA = """
DROP TABLE IF EXISTS transactions;
DROP TABLE IF EXISTS reset_tokens;
DROP TABLE IF EXISTS sessions;
DROP TABLE IF EXISTS accounts;
DROP TABLE IF EXISTS users;

CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    username TEXT UNIQUE NOT NULL,
    email TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    is_admin INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE accounts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    owner_id INTEGER NOT NULL REFERENCES users (id),
    name TEXT NOT NULL,
    iban TEXT UNIQUE NOT NULL,
    balance INTEGER NOT NULL  -- cents
);

CREATE TABLE transactions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts (id),
    counterparty_id INTEGER REFERENCES accounts (id),
    amount INTEGER NOT NULL,  -- cents, negative for debits
    memo TEXT NOT NULL DEFAULT '',
    reference TEXT NOT NULL DEFAULT '',
    booked_on TEXT NOT NULL
);

CREATE TABLE sessions (
    token TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE reset_tokens (
    token TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);
"""

SEED_USERS = [
    ("alice", "alice@example.com", "wonderland-42", 0),
    ("bob", "bob@example.com", "builder-2024", 0),
    ("admin", "ops@example.com", "admin-portal-1", 1),
]

SEED_ACCOUNTS = [
    ("alice", "Everyday Checking", "DE44500105175407324931", 250_000),
    ("alice", "Holiday Savings", "DE21500105179632147852", 1_200_000),
    ("bob", "Business Checking", "DE89370400440532013000", 780_000),
    ("admin", "Operations Float", "DE02120300000000202051", 10_000_000),
]

SEED_TRANSACTIONS = [
    ("Everyday Checking", -4_599, "Groceries", "2024-01-05"),
    ("Everyday Checking", 320_000, "Salary January", "2024-01-28"),
    ("Everyday Checking", -95_000, "Rent", "2024-01-31"),
    ("Holiday Savings", 50_000, "Monthly savings", "2024-01-29"),
    ("Business Checking", -12_050, "Office supplies", "2024-01-11"),
]


def get_db() -> sqlite3.Connection:
    """Return the connection bound to the current application context."""
    if "db" not in g:
        g.db = sqlite3.connect(current_app.config["DATABASE"])
        g.db.row_factory = sqlite3.Row
        g.db.execute("PRAGMA foreign_keys = ON")
    return g.db


def close_db(_exc: BaseException | None = None) -> None:
    """Close the context's connection, if one was opened."""
    db = g.pop("db", None)
    if db is not None:
        db.close()


def init_db() -> None:
    """Create the schema and load the demo customers, then write their statements."""
    db = get_db()
    db.executescript(SCHEMA)
    user_ids = {}
    for username, email, password, is_admin in SEED_USERS:
        cur = db.execute(
            "INSERT INTO users (username, email, password_hash, is_admin) VALUES (?, ?, ?, ?)",
            (username, email, hash_password(password), is_admin),
        )
        user_ids[username] = cur.lastrowid
    account_ids = {}
    for owner, name, iban, balance in SEED_ACCOUNTS:
        cur = db.execute(
            "INSERT INTO accounts (owner_id, name, iban, balance) VALUES (?, ?, ?, ?)",
            (user_ids[owner], name, iban, balance),
        )
        account_ids[name] = cur.lastrowid
    for account, amount, memo, booked_on in SEED_TRANSACTIONS:
        db.execute(
            "INSERT INTO transactions (account_id, amount, memo, booked_on) VALUES (?, ?, ?, ?)",
            (account_ids[account], amount, memo, booked_on),
        )
    db.commit()
    write_statements(current_app.config["STATEMENTS_DIR"], "2024-01")


def write_statements(directory: str, month: str) -> None:
    """Write one CSV statement per customer for ``month`` (YYYY-MM)."""
    db = get_db()
    for user in db.execute("SELECT id FROM users").fetchall():
        user_dir = os.path.join(directory, str(user["id"]))
        os.makedirs(user_dir, exist_ok=True)
        rows = db.execute(
            "SELECT a.name, a.iban, t.booked_on, t.memo, t.amount FROM transactions t"
            " JOIN accounts a ON a.id = t.account_id"
            " WHERE a.owner_id = ? AND t.booked_on LIKE ? ORDER BY t.booked_on, t.id",
            (user["id"], f"{month}-%"),
        ).fetchall()
        with open(os.path.join(user_dir, f"{month}.csv"), "w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(["account", "iban", "date", "memo", "amount"])
            for row in rows:
                writer.writerow([row[0], row[1], row[2], row[3], f"{row[4] / 100:.2f}"])


@click.command("init-db")
def init_db_command() -> None:
    """Drop and recreate the database with demo data."""
    init_db()
    click.echo("Initialised the database.")


def init_app(app: Flask) -> None:
    """Wire connection teardown and the ``init-db`` command into ``app``."""
    app.teardown_appcontext(close_db)
    app.cli.add_command(init_db_command)
