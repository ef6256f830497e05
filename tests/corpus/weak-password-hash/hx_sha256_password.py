# Unsalted single sha256 of the password at sign-up.
# expect: mamori:python/weak-password-hash line=15
import hashlib

from flask import Flask, request

app = Flask(__name__)
USERS: dict[str, str] = {}


@app.post("/signup")
def signup():
    username = request.form["username"]
    password = request.form["password"]
    USERS[username] = hashlib.sha256(password.encode()).hexdigest()
    return {"ok": True}, 201
