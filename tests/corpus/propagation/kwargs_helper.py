# Taint through **kwargs into a helper.
# expect: mamori:python/sql-injection line=11
from flask import Flask, request

app = Flask(__name__)

import sqlite3

def query(db, **filters):
    where = " AND ".join(f"{k} = '{v}'" for k, v in filters.items())
    return db.execute("SELECT * FROM t WHERE " + where).fetchall()

@app.route("/t")
def t():
    db = sqlite3.connect("app.db")
    return {"n": len(query(db, name=request.args["name"]))}
