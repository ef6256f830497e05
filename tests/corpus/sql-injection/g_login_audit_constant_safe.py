# login_audit (flask-header, class): the request value is always replaced by a constant before use: safe
# expect: none
from flask import Flask, request
import sqlite3

app = Flask(__name__)
DEFAULT_USERNAME = "books"

class LoginAuditRequest:
    def __init__(self, value):
        self.value = value
        self.created_by = "web"


@app.route("/audit")
def login_audit():
    username = request.headers.get("X-Username", "")
    # The client-supplied username is no longer honoured; the default always applies.
    username = DEFAULT_USERNAME
    req = LoginAuditRequest(username)
    conn = sqlite3.connect("audit.db")
    clauses = ["action = 'login'", "username = '" + req.value + "'"]
    count = conn.execute("SELECT COUNT(*) FROM audit WHERE " + " AND ".join(clauses)).fetchone()
    return {"status": "ok"}
