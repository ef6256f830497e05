# The vulnerable branch is guarded by a constant False.
# expect: none
from flask import Flask, request

app = Flask(__name__)

import sqlite3

DEBUG_RAW_SQL = False

@app.route("/report")
def report():
    q = request.args.get("q", "")
    db = sqlite3.connect("app.db")
    if DEBUG_RAW_SQL:
        return {"rows": db.execute(q).fetchall()}
    return {"rows": db.execute("SELECT * FROM reports WHERE title = ?", (q,)).fetchall()}
