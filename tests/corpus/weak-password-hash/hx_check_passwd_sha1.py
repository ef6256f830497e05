# Legacy login compares sha1(passwd) with the stored digest.
# expect: mamori:python/weak-password-hash line=17
import hashlib
import sqlite3

from flask import Flask, request

app = Flask(__name__)


@app.post("/legacy/login")
def legacy_login():
    user = request.form["user"]
    passwd = request.form["passwd"]
    db = sqlite3.connect("legacy.db")
    row = db.execute("SELECT pw FROM accounts WHERE user = ?", (user,)).fetchone()
    ok = row is not None and row[0] == hashlib.sha1(passwd.encode()).hexdigest()
    return {"ok": ok}
