# login_audit (flask-header, class): the tainted call sits in a branch whose condition is a constant False: safe
# expect: none
from flask import Flask, request
import sqlite3

app = Flask(__name__)
LEGACY_MODE = False
FALLBACK = "fallback"

class LoginAuditRequest:
    def __init__(self, value):
        self.value = value
        self.created_by = "web"


@app.route("/audit")
def login_audit():
    username = request.headers.get("X-Username", "")
    req = LoginAuditRequest(username)
    if LEGACY_MODE:
        conn = sqlite3.connect("audit.db")
        clauses = ["action = 'login'", "username = '" + req.value + "'"]
        count = conn.execute("SELECT COUNT(*) FROM audit WHERE " + " AND ".join(clauses)).fetchone()
    else:
        conn = sqlite3.connect("audit.db")
        clauses = ["action = 'login'", "username = '" + FALLBACK + "'"]
        count = conn.execute("SELECT COUNT(*) FROM audit WHERE " + " AND ".join(clauses)).fetchone()
    return {"status": "ok"}
