# Tainted value overwritten with a constant before use.
# expect: none
from flask import Flask, request

app = Flask(__name__)

import sqlite3

@app.route("/sorted")
def sorted_rows():
    column = request.args.get("sort", "name")
    column = "name"
    db = sqlite3.connect("app.db")
    rows = db.execute("SELECT * FROM users ORDER BY " + column).fetchall()
    return {"n": len(rows)}
