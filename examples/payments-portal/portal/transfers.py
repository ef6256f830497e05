"""Money transfers between accounts: one at a time or as an uploaded YAML batch."""

from __future__ import annotations

import datetime
import os
import sqlite3
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml
from flask import Blueprint, current_app, flash, g, jsonify, redirect, render_template_string, request, url_for

from .auth import login_required
from .db import get_db
from .security import sign_reference

bp = Blueprint("transfers", __name__, url_prefix="/transfers")

DEFAULT_LIMITS_FILE = os.path.join(os.path.dirname(__file__), "limits.yaml")

TRANSFER_PAGE = """<!doctype html>
<title>Transfer - Payments Portal</title>
<h1>New transfer</h1>
{% for message in get_flashed_messages() %}<p class="flash">{{ message }}</p>{% endfor %}
{% if error %}<p class="error">{{ error }}</p>{% endif %}
<form method="post">
  <label>From account <input name="from_account"></label>
  <label>To account <input name="to_account"></label>
  <label>Amount (EUR) <input name="amount"></label>
  <label>Memo <input name="memo"></label>
  <button type="submit">Send</button>
</form>
<h2>Import a batch</h2>
<form method="post" action="{{ url_for('transfers.import_batch') }}" enctype="multipart/form-data">
  <input type="file" name="batch"><button type="submit">Import</button>
</form>
"""


class TransferError(ValueError):
    """A transfer was refused; the message is safe to show to the customer."""


def load_transfer_limits(path: str = DEFAULT_LIMITS_FILE) -> dict[str, Any]:
    """Read the risk team's limits file (amounts in euros are converted to cents)."""
    with open(path, encoding="utf-8") as fh:
        raw = yaml.safe_load(fh) or {}
    return {
        "single_transfer": int(Decimal(str(raw.get("single_transfer", 5000))) * 100),
        "daily_total": int(Decimal(str(raw.get("daily_total", 10000))) * 100),
        "batch_max_items": int(raw.get("batch_max_items", 50)),
    }


def parse_amount(value: object) -> int:
    """Turn a euro amount such as ``"12.50"`` into a positive number of cents."""
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation as exc:
        raise TransferError(f"Invalid amount: {value!r}") from exc
    if amount <= 0 or amount != amount.quantize(Decimal("0.01")):
        raise TransferError("Amounts must be positive with at most two decimals.")
    return int(amount * 100)


def execute_transfer(db: sqlite3.Connection, user_id: int, item: dict[str, Any]) -> str:
    """Book one transfer for ``user_id`` without committing; return its signed reference."""
    try:
        from_id = int(item["from_account"])
        to_id = int(item["to_account"])
    except (KeyError, TypeError, ValueError) as exc:
        raise TransferError("Both a source and a destination account are required.") from exc
    amount = parse_amount(item.get("amount"))
    memo = str(item.get("memo") or "")[:140]
    limits = current_app.config["TRANSFER_LIMITS"]
    if amount > limits["single_transfer"]:
        raise TransferError("The amount exceeds your single transfer limit.")
    source = db.execute(
        "SELECT id, balance FROM accounts WHERE id = ? AND owner_id = ?", (from_id, user_id)
    ).fetchone()
    if source is None:
        raise TransferError("Unknown source account.")
    if db.execute("SELECT 1 FROM accounts WHERE id = ?", (to_id,)).fetchone() is None:
        raise TransferError("Unknown destination account.")
    if from_id == to_id:
        raise TransferError("Source and destination must differ.")
    if source["balance"] < amount:
        raise TransferError("Insufficient funds.")
    today = datetime.date.today().isoformat()
    sent_today = db.execute(
        "SELECT COALESCE(-SUM(amount), 0) FROM transactions"
        " WHERE account_id IN (SELECT id FROM accounts WHERE owner_id = ?)"
        " AND counterparty_id IS NOT NULL AND amount < 0 AND booked_on = ?",
        (user_id, today),
    ).fetchone()[0]
    if sent_today + amount > limits["daily_total"]:
        raise TransferError("The amount exceeds your daily transfer limit.")

    reference = sign_reference(f"{from_id}:{to_id}:{amount}:{today}")[:20]
    db.execute("UPDATE accounts SET balance = balance - ? WHERE id = ?", (amount, from_id))
    db.execute("UPDATE accounts SET balance = balance + ? WHERE id = ?", (amount, to_id))
    db.executemany(
        "INSERT INTO transactions (account_id, counterparty_id, amount, memo, reference, booked_on)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        [
            (from_id, to_id, -amount, memo, reference, today),
            (to_id, from_id, amount, memo, reference, today),
        ],
    )
    return reference


@bp.route("", methods=["GET", "POST"])
@login_required
def transfer() -> Any:
    """Show the transfer form, or book the submitted transfer."""
    if request.method == "GET":
        return render_template_string(TRANSFER_PAGE, error=None)
    db = get_db()
    try:
        reference = execute_transfer(db, g.user["id"], request.form.to_dict())
    except TransferError as exc:
        db.rollback()
        return render_template_string(TRANSFER_PAGE, error=str(exc)), 400
    db.commit()
    flash(f"Transfer booked, reference {reference}.")
    return redirect(url_for("transfers.transfer"))


@bp.post("/import")
@login_required
def import_batch() -> Any:
    """Book every transfer of an uploaded batch file, or none of them.

    The file holds a ``transfers`` list whose items have ``from_account``,
    ``to_account``, ``amount`` and an optional ``memo``, as exported by the
    accounting package.
    """
    batch = yaml.load(request.files["batch"].read(), Loader=yaml.Loader)
    items = batch.get("transfers") if isinstance(batch, dict) else None
    if not isinstance(items, list) or not items:
        return jsonify(error="The batch must contain a non-empty 'transfers' list."), 400
    if len(items) > current_app.config["TRANSFER_LIMITS"]["batch_max_items"]:
        return jsonify(error="The batch has too many transfers."), 400

    db = get_db()
    references = []
    for number, item in enumerate(items, start=1):
        try:
            if not isinstance(item, dict):
                raise TransferError("Each transfer must be a mapping.")
            references.append(execute_transfer(db, g.user["id"], item))
        except TransferError as exc:
            db.rollback()
            return jsonify(error=f"Transfer {number}: {exc}", imported=0), 422
    db.commit()
    return jsonify(imported=len(references), references=references)
