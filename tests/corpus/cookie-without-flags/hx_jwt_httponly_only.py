# JWT cookie is HttpOnly but not Secure.
# expect: mamori:python/cookie-without-flags line=15
from flask import Flask, make_response

app = Flask(__name__)


def issue_jwt(user_id: int) -> str:
    return f"header.{user_id}.sig"


@app.post("/token")
def token():
    resp = make_response({"ok": True})
    resp.set_cookie("access_token", issue_jwt(1), httponly=True, samesite="Strict")
    return resp
