# Classic %-formatted query with quotes around the value.
# expect: mamori:python/sql-injection line=15
import sqlite3

from flask import Flask, request

app = Flask(__name__)


@app.post("/login")
def login():
    username = request.form["username"]
    conn = sqlite3.connect("app.db")
    cursor = conn.cursor()
    cursor.execute("SELECT id FROM users WHERE username = '%s'" % username)
    user = cursor.fetchone()
    return {"ok": user is not None}
