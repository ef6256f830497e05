# Search built with an f-string from a query parameter.
# expect: mamori:python/sql-injection line=13
from flask import Flask, request

app = Flask(__name__)

import sqlite3

@app.route("/users")
def users():
    name = request.args.get("name", "")
    db = sqlite3.connect("app.db")
    rows = db.execute(f"SELECT id FROM users WHERE name = '{name}'").fetchall()
    return {"ids": [r[0] for r in rows]}
