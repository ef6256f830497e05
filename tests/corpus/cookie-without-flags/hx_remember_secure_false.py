# Remember-me cookie explicitly marked secure=False for local development, left in.
# expect: mamori:python/cookie-without-flags line=14
from datetime import timedelta

from flask import Flask, make_response, redirect, request

app = Flask(__name__)


@app.post("/login")
def login():
    resp = make_response(redirect("/"))
    if request.form.get("remember"):
        resp.set_cookie(
            "remember_token",
            request.form["username"] + ":r",
            max_age=int(timedelta(days=30).total_seconds()),
            secure=False,
            httponly=True,
        )
    return resp
