# Sort column checked against an allow-list: safe.
# expect: none
from flask import Flask, request

app = Flask(__name__)

import sqlite3

ALLOWED_COLUMNS = {"name", "created", "email"}

@app.route("/sorted")
def sorted_rows():
    column = request.args.get("sort", "name")
    if column not in ALLOWED_COLUMNS:
        return {"error": "bad column"}, 400
    db = sqlite3.connect("app.db")
    rows = db.execute("SELECT * FROM users ORDER BY " + column).fetchall()
    return {"n": len(rows)}
