# The tainted element of a dict reaches SQL.
# expect: mamori:python/sql-injection line=13
from flask import Flask, request

app = Flask(__name__)

import sqlite3

@app.route("/filter")
def filter_rows():
    params = {"table": "products", "term": request.args.get("term", "")}
    db = sqlite3.connect("app.db")
    rows = db.execute("SELECT * FROM products WHERE name = '" + params["term"] + "'").fetchall()
    return {"n": len(rows)}
