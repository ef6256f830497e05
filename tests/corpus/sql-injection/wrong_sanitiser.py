# shlex.quote does not make a value safe for SQL.
# expect: mamori:python/sql-injection line=14
from flask import Flask, request

app = Flask(__name__)

import shlex
import sqlite3

@app.route("/lookup")
def lookup():
    name = shlex.quote(request.args.get("name", ""))
    db = sqlite3.connect("app.db")
    row = db.execute("SELECT * FROM users WHERE name = " + name).fetchone()
    return {"found": row is not None}
