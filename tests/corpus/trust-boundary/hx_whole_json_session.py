# The whole JSON body is stored as the user's profile in the session.
# expect: mamori:python/trust-boundary line=11
from flask import Flask, request, session

app = Flask(__name__)


@app.put("/me")
def update_me():
    profile = request.get_json(silent=True) or {}
    session["profile"] = profile
    return {"ok": True}
