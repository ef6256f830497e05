# Flags passed on separate lines, plus a domain.
# expect: none
from flask import Flask, make_response

app = Flask(__name__)


@app.post("/login")
def login():
    resp = make_response({"ok": True})
    resp.set_cookie(
        "session_id",
        "opaque",
        domain=".example.com",
        secure=True,
        httponly=True,
    )
    return resp
