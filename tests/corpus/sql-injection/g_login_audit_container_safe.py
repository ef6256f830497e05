# login_audit (flask-header, dict): only a constant element of the container reaches the sink: safe
# expect: none
from flask import Flask, request
import sqlite3

app = Flask(__name__)

@app.route("/audit")
def login_audit():
    username = request.headers.get("X-Username", "")
    options = {"username": username, "page_size": "50"}
    conn = sqlite3.connect("audit.db")
    clauses = ["action = 'login'", "username = '" + options["page_size"] + "'"]
    count = conn.execute("SELECT COUNT(*) FROM audit WHERE " + " AND ".join(clauses)).fetchone()
    return {"status": "ok"}
