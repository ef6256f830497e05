# Auth cookie with Secure, HttpOnly and SameSite.
# expect: none
import secrets

from flask import Flask, jsonify

app = Flask(__name__)


@app.post("/api/login")
def api_login():
    resp = jsonify(ok=True)
    resp.set_cookie(
        "auth_token",
        secrets.token_hex(32),
        secure=True,
        httponly=True,
        samesite="Lax",
        max_age=3600,
    )
    return resp
