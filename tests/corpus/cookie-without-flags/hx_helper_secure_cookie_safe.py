# A small helper always sets the flags; the route uses the helper.
# expect: none
from flask import Flask, Response, make_response

app = Flask(__name__)


def set_secure_cookie(resp: Response, name: str, value: str, max_age: int = 3600) -> None:
    resp.set_cookie(name, value, max_age=max_age, secure=True, httponly=True, samesite="Lax")


@app.post("/remember")
def remember():
    resp = make_response({"ok": True})
    set_secure_cookie(resp, "remember_token", "opaque", max_age=30 * 86400)
    return resp
