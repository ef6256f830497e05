"""Account overview, account detail and account search for the signed-in customer."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, g, render_template_string, request

from .auth import login_required
from .db import get_db

bp = Blueprint("accounts", __name__, url_prefix="/accounts")

INDEX_PAGE = """<!doctype html>
<title>Accounts - Payments Portal</title>
<h1>Your accounts</h1>
<p>Signed in as {{ g.user["username"] }} - <a href="{{ url_for('auth.logout') }}">sign out</a></p>
<form action="{{ url_for('accounts.search') }}"><input name="q"><button>Search</button></form>
<table>
{% for account in accounts %}
  <tr>
    <td><a href="{{ url_for('accounts.detail', account_id=account['id']) }}">{{ account["name"] }}</a></td>
    <td>{{ account["iban"] }}</td>
    <td class="amount">{{ "%.2f"|format(account["balance"] / 100) }}</td>
  </tr>
{% endfor %}
</table>
"""

DETAIL_PAGE = """<!doctype html>
<title>{{ account["name"] }} - Payments Portal</title>
<h1>{{ account["name"] }}</h1>
<p>IBAN {{ account["iban"] }} - balance {{ "%.2f"|format(account["balance"] / 100) }}</p>
<table>
{% for tx in transactions %}
  <tr>
    <td>{{ tx["booked_on"] }}</td>
    <td>{{ tx["memo"] }}</td>
    <td class="amount">{{ "%.2f"|format(tx["amount"] / 100) }}</td>
  </tr>
{% else %}
  <tr><td colspan="3">No transactions yet.</td></tr>
{% endfor %}
</table>
"""

RESULTS_FRAGMENT = """<ul class="results">
{% for row in rows %}
  <li><a href="{{ url_for('accounts.detail', account_id=row['id']) }}">{{ row["name"] }}</a>
      {{ "%.2f"|format(row["balance"] / 100) }}</li>
{% else %}
  <li>No accounts match.</li>
{% endfor %}
</ul>
"""


@bp.get("")
@login_required
def index() -> Any:
    """List the customer's accounts with their balances."""
    accounts = get_db().execute(
        "SELECT id, name, iban, balance FROM accounts WHERE owner_id = ? ORDER BY id",
        (g.user["id"],),
    ).fetchall()
    return render_template_string(INDEX_PAGE, accounts=accounts)


@bp.get("/<int:account_id>")
@login_required
def detail(account_id: int) -> Any:
    """Show one account and its latest transactions."""
    uid = g.user["id"]
    db = get_db()
    account = db.execute("SELECT id, name, iban, balance FROM accounts WHERE id = ? AND owner_id = ?", (account_id, uid)).fetchone()
    if account is None:
        abort(404)
    transactions = db.execute(
        "SELECT booked_on, memo, amount FROM transactions WHERE account_id = ?"
        " ORDER BY booked_on DESC, id DESC LIMIT 50",
        (account_id,),
    ).fetchall()
    return render_template_string(DETAIL_PAGE, account=account, transactions=transactions)


@bp.get("/search")
@login_required
def search() -> Any:
    """Find the customer's accounts whose name contains the search words."""
    q = request.args.get("q", "")
    uid = g.user["id"]
    db = get_db()
    rows = db.execute(f"SELECT id, name, balance FROM accounts WHERE owner_id = {uid} AND name LIKE '%{q}%'").fetchall()
    return f"<h2>Results for {q}</h2>" + render_template_string(RESULTS_FRAGMENT, rows=rows)
