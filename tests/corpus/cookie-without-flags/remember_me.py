# A remember-me cookie set without Secure or HttpOnly.
# expect: mamori:python/cookie-without-flags line=13
from flask import Flask, make_response, request

app = Flask(__name__)


@app.post("/login")
def login():
    resp = make_response({"ok": True})
    if request.form.get("remember") == "1":
        token = request.form["token"]
        resp.set_cookie("remember_me", token, max_age=30 * 24 * 3600)
    return resp
