# Flags kept in a shared options dict and splatted into set_cookie.
# expect: none
from flask import Flask, make_response

app = Flask(__name__)
COOKIE_OPTIONS = {"secure": True, "httponly": True, "samesite": "Strict"}


@app.post("/session")
def start_session():
    resp = make_response({"ok": True})
    resp.set_cookie("sid", "opaque-session-id", **COOKIE_OPTIONS)
    return resp
