# login_audit (flask-header, class): the same data goes through the safe form of the API: safe
# expect: none
from flask import Flask, request
import sqlite3

app = Flask(__name__)

class LoginAuditRequest:
    def __init__(self, value):
        self.value = value
        self.created_by = "web"


@app.route("/audit")
def login_audit():
    username = request.headers.get("X-Username", "")
    req = LoginAuditRequest(username)
    conn = sqlite3.connect("audit.db")
    count = conn.execute("SELECT COUNT(*) FROM audit WHERE action = 'login' AND username = ?", (req.value,)).fetchone()
    return {"status": "ok"}
