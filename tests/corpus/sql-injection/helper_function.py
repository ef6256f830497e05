# The query is built in a helper that receives the parameter.
# expect: mamori:python/sql-injection line=11
from flask import Flask, request

app = Flask(__name__)

import sqlite3

def find_user(db, username):
    sql = "SELECT * FROM users WHERE username = '" + username + "'"
    return db.execute(sql).fetchone()

@app.route("/profile")
def profile():
    db = sqlite3.connect("app.db")
    user = find_user(db, request.args.get("u"))
    return {"found": user is not None}
