# Query assembled with str.join over user values.
# expect: mamori:python/sql-injection line=14
from flask import Flask, request

app = Flask(__name__)

import sqlite3

@app.route("/in")
def in_list():
    ids = request.args.getlist("id")
    db = sqlite3.connect("app.db")
    clause = ",".join(ids)
    rows = db.execute("SELECT * FROM items WHERE id IN (" + clause + ")").fetchall()
    return {"n": len(rows)}
