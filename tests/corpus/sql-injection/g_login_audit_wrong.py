# login_audit (flask-header, class): sanitised for a different sink, which does not help here: still vulnerable
# expect: mamori:python/sql-injection line=22
from flask import Flask, request
import sqlite3
import html

app = Flask(__name__)

class LoginAuditRequest:
    def __init__(self, value):
        self.value = value
        self.created_by = "web"


@app.route("/audit")
def login_audit():
    username = request.headers.get("X-Username", "")
    username = html.escape(username)
    req = LoginAuditRequest(username)
    conn = sqlite3.connect("audit.db")
    clauses = ["action = 'login'", "username = '" + req.value + "'"]
    count = conn.execute("SELECT COUNT(*) FROM audit WHERE " + " AND ".join(clauses)).fetchone()
    return {"status": "ok"}
