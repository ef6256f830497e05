# Only the constant element of a dict reaches SQL.
# expect: none
from flask import Flask, request

app = Flask(__name__)

import sqlite3

@app.route("/filter")
def filter_rows():
    params = {"table": "products", "term": request.args.get("term", "")}
    db = sqlite3.connect("app.db")
    rows = db.execute("SELECT * FROM " + params["table"] + " WHERE name = ?", (params["term"],)).fetchall()
    return {"n": len(rows)}
