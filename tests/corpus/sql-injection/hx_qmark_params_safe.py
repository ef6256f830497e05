# Parameterised sqlite3 query with qmark placeholders.
# expect: none
import sqlite3

from flask import Blueprint, abort, request

bp = Blueprint("accounts", __name__)


def fetch_account(email: str):
    db = sqlite3.connect("accounts.db")
    cur = db.execute("SELECT id, email FROM accounts WHERE email = ? AND active = 1", (email,))
    return cur.fetchone()


@bp.get("/accounts/lookup")
def lookup():
    email = request.args.get("email", "").lower()
    row = fetch_account(email)
    if row is None:
        abort(404)
    return {"id": row[0]}
