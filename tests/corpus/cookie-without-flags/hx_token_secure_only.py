# Token cookie with secure=True but readable from JavaScript.
# expect: mamori:python/cookie-without-flags line=11
from flask import Flask, make_response

app = Flask(__name__)


@app.post("/login")
def login():
    resp = make_response({"ok": True})
    resp.set_cookie("token", "opaque-token", secure=True, samesite="Lax")
    return resp
