# Session holds the id of the user found in the database after a password check.
# expect: none
import sqlite3

from flask import Flask, request, session
from werkzeug.security import check_password_hash

app = Flask(__name__)


@app.post("/login")
def login():
    db = sqlite3.connect("app.db")
    row = db.execute("SELECT id, pw_hash FROM users WHERE email = ?", (request.form["email"],)).fetchone()
    if row is None or not check_password_hash(row[1], request.form["password"]):
        return {"error": "invalid credentials"}, 401
    session["user_id"] = int(row[0])
    return {"ok": True}
