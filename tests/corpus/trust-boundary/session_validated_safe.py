# Role validated against an allow-list first: safe.
# expect: none
from flask import Flask, request

app = Flask(__name__)

from flask import session

ROLES = ("user", "viewer")

@app.post("/prefs")
def prefs():
    role = request.form.get("role", "user")
    if role in ROLES:
        session["role"] = role
    return {"ok": True}
