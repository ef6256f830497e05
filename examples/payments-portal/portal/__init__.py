"""Payments Portal: the customer-facing online banking application."""

from __future__ import annotations

import os
from typing import Any

from flask import Flask, redirect, url_for


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the application.

    Settings come from the defaults below, then ``PORTAL_*`` environment
    variables, then ``config`` (tests use it for ``DATABASE``,
    ``STATEMENTS_DIR`` and ``EXPORT_DIR``). The database is created and seeded
    on first start.
    """
    from . import accounts, admin, auth, db, statements, transfers

    app = Flask(__name__, instance_relative_config=True)
    app.config["SECRET_KEY"] = "d3v-s3cr3t-key-9f8e7d6c5b4a"
    app.config.update(
        DATABASE=os.path.join(app.instance_path, "portal.sqlite3"),
        STATEMENTS_DIR=os.path.join(app.instance_path, "statements"),
        EXPORT_DIR=os.path.join(app.instance_path, "exports"),
        TRANSFER_LIMITS_FILE=transfers.DEFAULT_LIMITS_FILE,
    )
    app.config.from_prefixed_env("PORTAL")
    if config:
        app.config.update(config)
    app.config["TRANSFER_LIMITS"] = transfers.load_transfer_limits(app.config["TRANSFER_LIMITS_FILE"])

    for key in ("STATEMENTS_DIR", "EXPORT_DIR"):
        os.makedirs(app.config[key], exist_ok=True)
    os.makedirs(os.path.dirname(os.path.abspath(app.config["DATABASE"])), exist_ok=True)

    db.init_app(app)
    for blueprint in (auth.bp, accounts.bp, transfers.bp, statements.bp, admin.bp):
        app.register_blueprint(blueprint)

    @app.get("/")
    def home() -> Any:
        return redirect(url_for("accounts.index"))

    if not os.path.exists(app.config["DATABASE"]):
        with app.app_context():
            db.init_db()
    return app
