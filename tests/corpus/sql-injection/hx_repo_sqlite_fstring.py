# Repository helper in the same module builds the WHERE clause with an f-string.
# expect: mamori:python/sql-injection line=18
import sqlite3

from flask import Blueprint, g, jsonify, request

users_bp = Blueprint("users", __name__)


def get_db() -> sqlite3.Connection:
    if "db" not in g:
        g.db = sqlite3.connect("app.db")
    return g.db


def find_users_by_name(name: str) -> list[tuple]:
    cur = get_db().cursor()
    cur.execute(f"SELECT id, name, email FROM users WHERE name = '{name}'")
    return cur.fetchall()


@users_bp.route("/users/search")
def search_users():
    rows = find_users_by_name(request.args.get("name", ""))
    return jsonify([{"id": r[0], "name": r[1]} for r in rows])
