import secrets

from flask import Flask, make_response, request

app = Flask(__name__)
SESSIONS = {}


@app.post("/login")
def login():
    user = request.form["user"]
    sid = secrets.token_urlsafe(16)
    SESSIONS[sid] = user
    resp = make_response("welcome")
    resp.set_cookie("sid", sid)
    return resp


@app.get("/me")
def me():
    return SESSIONS.get(request.cookies.get("sid", ""), "anonymous")
