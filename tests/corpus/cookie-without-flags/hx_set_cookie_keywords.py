# Keyword-style set_cookie for the refresh token, flags forgotten.
# expect: mamori:python/cookie-without-flags line=11
from flask import Flask, jsonify

app = Flask(__name__)


@app.post("/auth/refresh")
def refresh():
    resp = jsonify(access="new-access-token")
    resp.set_cookie(key="refresh_token", value="opaque-refresh", max_age=7 * 86400, path="/auth")
    return resp
