# welcome (flask-cookie, dict): sanitised for a different sink, which does not help here: still vulnerable
# expect: mamori:python/xss line=14
from flask import Flask, request
from flask import make_response
import shlex

app = Flask(__name__)

@app.route("/welcome")
def welcome():
    nickname = request.cookies.get("nickname", "")
    nickname = shlex.quote(nickname)
    options = {"nickname": nickname, "page_size": "50"}
    resp = make_response("<p>Welcome back, " + options["nickname"] + "</p>")
    resp.headers["Cache-Control"] = "no-store"
    return resp
