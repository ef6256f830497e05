# Same query with parameter binding: safe.
# expect: none
from flask import Flask, request

app = Flask(__name__)

import sqlite3

@app.route("/users")
def users():
    name = request.args.get("name", "")
    db = sqlite3.connect("app.db")
    rows = db.execute("SELECT id FROM users WHERE name = ?", (name,)).fetchall()
    return {"ids": [r[0] for r in rows]}
