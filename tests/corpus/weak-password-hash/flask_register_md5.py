# Registration stores an unsalted md5 of the password.
# expect: mamori:python/weak-password-hash line=13
import hashlib
import sqlite3

from flask import Flask, request

app = Flask(__name__)

@app.post("/register")
def register():
    password = request.form["password"]
    digest = hashlib.md5(password.encode()).hexdigest()
    db = sqlite3.connect("users.db")
    db.execute("INSERT INTO users (name, pw) VALUES (?, ?)", (request.form["name"], digest))
    db.commit()
    return {"ok": True}
