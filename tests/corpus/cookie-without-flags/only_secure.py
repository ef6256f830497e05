# Secure but not HttpOnly is still flagged.
# expect: mamori:python/cookie-without-flags line=12
from flask import Flask, request

app = Flask(__name__)

from flask import make_response

@app.post("/login")
def login():
    resp = make_response({"ok": True})
    resp.set_cookie("sid", "abc", secure=True)
    return resp
