# welcome (flask-cookie, dict): the value is checked against an allow-list first: safe
# expect: none
from flask import Flask, request
from flask import make_response

app = Flask(__name__)
ALLOWED_NICKNAMES = frozenset({"alpha", "beta", "main"})

@app.route("/welcome")
def welcome():
    nickname = request.cookies.get("nickname", "")
    if nickname not in ALLOWED_NICKNAMES:
        raise ValueError("unsupported nickname")
    options = {"nickname": nickname, "page_size": "50"}
    resp = make_response("<p>Welcome back, " + options["nickname"] + "</p>")
    resp.headers["Cache-Control"] = "no-store"
    return resp
