# welcome (flask-cookie, dict): the tainted call sits in a branch whose condition is a constant False: safe
# expect: none
from flask import Flask, request
from flask import make_response

app = Flask(__name__)
LEGACY_MODE = False
FALLBACK = "fallback"

@app.route("/welcome")
def welcome():
    nickname = request.cookies.get("nickname", "")
    options = {"nickname": nickname, "page_size": "50"}
    if LEGACY_MODE:
        resp = make_response("<p>Welcome back, " + options["nickname"] + "</p>")
        resp.headers["Cache-Control"] = "no-store"
        return resp
    else:
        resp = make_response("<p>Welcome back, " + FALLBACK + "</p>")
        resp.headers["Cache-Control"] = "no-store"
        return resp
