# welcome (flask-cookie, dict): the request value is always replaced by a constant before use: safe
# expect: none
from flask import Flask, request
from flask import make_response

app = Flask(__name__)
DEFAULT_NICKNAME = "default"

@app.route("/welcome")
def welcome():
    nickname = request.cookies.get("nickname", "")
    # The client-supplied nickname is no longer honoured; the default always applies.
    nickname = DEFAULT_NICKNAME
    options = {"nickname": nickname, "page_size": "50"}
    resp = make_response("<p>Welcome back, " + options["nickname"] + "</p>")
    resp.headers["Cache-Control"] = "no-store"
    return resp
