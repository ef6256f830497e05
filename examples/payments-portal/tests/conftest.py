"""Shared fixtures: an application on a throw-away database and signed-in clients."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

# Deployments provide secrets through the environment; the test run supplies
# dummy ones so configuration that reads them works the same way here. This
# runs before ``portal`` is imported, because settings may be read at import.
for _name, _value in {
    "PORTAL_SECRET_KEY": "test-secret-key",
    "SECRET_KEY": "test-secret-key",
    "FLASK_SECRET_KEY": "test-secret-key",
    "PAYMENTS_API_KEY": "pk_test_dummy",
    "PORTAL_PAYMENTS_API_KEY": "pk_test_dummy",
}.items():
    os.environ.setdefault(_name, _value)

import pytest  # noqa: E402
from flask import Flask  # noqa: E402
from flask.testing import FlaskClient  # noqa: E402
from werkzeug.test import TestResponse  # noqa: E402

from portal import create_app  # noqa: E402
from portal.db import get_db  # noqa: E402

PASSWORDS = {"alice": "wonderland-42", "bob": "builder-2024", "admin": "admin-portal-1"}


def _settings(root: Path) -> dict[str, object]:
    return {
        "TESTING": True,
        "DATABASE": str(root / "portal.sqlite3"),
        "STATEMENTS_DIR": str(root / "statements"),
        "EXPORT_DIR": str(root / "exports"),
    }


@pytest.fixture(scope="session")
def seeded_instance(tmp_path_factory) -> Path:
    """Create and seed one instance directory for the whole run.

    Seeding hashes every demo password, which is deliberately slow with a
    strong password hash, so tests copy this directory instead of re-seeding.
    """
    root = tmp_path_factory.mktemp("seeded")
    create_app(_settings(root))
    return root


@pytest.fixture
def app(tmp_path, seeded_instance) -> Flask:
    root = tmp_path / "instance"
    shutil.copytree(seeded_instance, root)
    return create_app(_settings(root))


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def login(client: FlaskClient, username: str, password: str | None = None, next_url: str | None = None) -> TestResponse:
    """Sign in through the form, exactly as a browser would."""
    url = "/login" if next_url is None else f"/login?next={next_url}"
    if password is None:
        password = PASSWORDS[username]
    return client.post(url, data={"username": username, "password": password})


@pytest.fixture
def alice(client: FlaskClient) -> FlaskClient:
    assert login(client, "alice").status_code == 302
    return client


@pytest.fixture
def admin(client: FlaskClient) -> FlaskClient:
    assert login(client, "admin").status_code == 302
    return client


def balance(app: Flask, account_id: int) -> int:
    """Return an account balance in cents, read straight from the database."""
    with app.app_context():
        return get_db().execute("SELECT balance FROM accounts WHERE id = ?", (account_id,)).fetchone()[0]


def account_ids(app: Flask) -> dict[str, int]:
    with app.app_context():
        return {row["name"]: row["id"] for row in get_db().execute("SELECT id, name FROM accounts")}
