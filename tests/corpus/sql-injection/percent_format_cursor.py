# %-formatted query on a cursor, value from a form.
# expect: mamori:python/sql-injection line=14
from flask import Flask, request

app = Flask(__name__)

import sqlite3

@app.post("/orders")
def orders():
    status = request.form["status"]
    cur = sqlite3.connect("app.db").cursor()
    query = "SELECT * FROM orders WHERE status = '%s'" % status
    cur.execute(query)
    return {"n": len(cur.fetchall())}
