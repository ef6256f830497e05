"""Operations endpoints: ledger export for the auditors and a health probe."""

from __future__ import annotations

import csv
import os
import subprocess
from typing import Any

from flask import Blueprint, current_app, jsonify, render_template_string, request, send_file

from .auth import admin_required
from .db import get_db

bp = Blueprint("admin", __name__, url_prefix="/admin")

EXPORT_PAGE = """<!doctype html>
<title>Export - Payments Portal</title>
<h1>Export the ledger</h1>
<form method="post">
  <label>Export name <input name="name" placeholder="2024-q1"></label>
  <button type="submit">Create archive</button>
</form>
"""


def write_ledger_csv(path: str) -> int:
    """Write every booked transaction to ``path``; return the number of rows."""
    rows = get_db().execute(
        "SELECT t.id, a.iban, t.booked_on, t.amount, t.memo, t.reference"
        " FROM transactions t JOIN accounts a ON a.id = t.account_id ORDER BY t.id"
    ).fetchall()
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "iban", "date", "amount_cents", "memo", "reference"])
        writer.writerows(tuple(row) for row in rows)
    return len(rows)


@bp.route("/export", methods=["GET", "POST"])
@admin_required
def export() -> Any:
    """Package the ledger as a named tar.gz archive for the external auditors."""
    if request.method == "GET":
        return render_template_string(EXPORT_PAGE)
    name = request.form["name"]
    export_dir = current_app.config["EXPORT_DIR"]
    staging = os.path.join(export_dir, name)
    os.makedirs(staging, exist_ok=True)
    write_ledger_csv(os.path.join(staging, "transactions.csv"))
    archive = os.path.join(export_dir, f"{name}.tar.gz")
    subprocess.run(f"tar -czf {archive} -C {export_dir} {name}", shell=True, check=True)
    return send_file(archive, mimetype="application/gzip", as_attachment=True)


@bp.get("/health")
def health() -> Any:
    """Report database reachability and host uptime for the load balancer."""
    try:
        get_db().execute("SELECT 1").fetchone()
        database = "ok"
    except Exception as exc:  # the probe must answer even when the database is down
        database = f"error: {exc}"
    try:
        proc = subprocess.run(["uptime"], capture_output=True, text=True, check=False)
        uptime = proc.stdout.strip()
    except OSError:
        uptime = "unavailable"
    status = "ok" if database == "ok" else "degraded"
    return jsonify(status=status, database=database, uptime=uptime), 200 if status == "ok" else 503
