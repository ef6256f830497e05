# A plain <name> route parameter is a string from the URL.
# expect: mamori:python/sql-injection line=12
from flask import Flask, request

app = Flask(__name__)

import sqlite3

@app.route("/tags/<tag>")
def by_tag(tag):
    db = sqlite3.connect("app.db")
    rows = db.execute(f"SELECT * FROM posts WHERE tag = '{tag}'").fetchall()
    return {"n": len(rows)}
