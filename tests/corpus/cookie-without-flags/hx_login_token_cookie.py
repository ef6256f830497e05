# Login sets the auth token cookie with no flags at all.
# expect: mamori:python/cookie-without-flags line=14
import secrets

from flask import Flask, jsonify, request

app = Flask(__name__)


@app.post("/api/login")
def api_login():
    token = secrets.token_hex(32)
    resp = jsonify(user=request.form["username"])
    resp.set_cookie("auth_token", token)
    return resp
