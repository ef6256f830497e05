# login_audit (flask-header, class): the value is checked against an allow-list first: safe
# expect: none
from flask import Flask, request
import sqlite3

app = Flask(__name__)
ALLOWED_USERNAMES = frozenset({"alpha", "beta", "main"})

class LoginAuditRequest:
    def __init__(self, value):
        self.value = value
        self.created_by = "web"


@app.route("/audit")
def login_audit():
    username = request.headers.get("X-Username", "")
    if username not in ALLOWED_USERNAMES:
        raise ValueError("unsupported username")
    req = LoginAuditRequest(username)
    conn = sqlite3.connect("audit.db")
    clauses = ["action = 'login'", "username = '" + req.value + "'"]
    count = conn.execute("SELECT COUNT(*) FROM audit WHERE " + " AND ".join(clauses)).fetchone()
    return {"status": "ok"}
