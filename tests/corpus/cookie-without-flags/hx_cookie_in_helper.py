# A helper attaches the session cookie; neither Secure nor HttpOnly is set.
# expect: mamori:python/cookie-without-flags line=9
from flask import Flask, Response, make_response

app = Flask(__name__)


def attach_session(resp: Response, session_id: str) -> Response:
    resp.set_cookie("app_session", session_id, samesite="Lax")
    return resp


@app.post("/login")
def login():
    return attach_session(make_response({"ok": True}), "opaque")
