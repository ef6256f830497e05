# Untrusted role stored in the session.
# expect: mamori:python/trust-boundary line=11
from flask import Flask, request

app = Flask(__name__)

from flask import session

@app.post("/prefs")
def prefs():
    session["role"] = request.form.get("role", "user")
    return {"ok": True}
