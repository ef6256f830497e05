# welcome (flask-cookie, dict): the value is sanitised for this sink first: safe
# expect: none
from flask import Flask, request
from flask import make_response
import html

app = Flask(__name__)

@app.route("/welcome")
def welcome():
    nickname = request.cookies.get("nickname", "")
    nickname = html.escape(nickname)
    options = {"nickname": nickname, "page_size": "50"}
    resp = make_response("<p>Welcome back, " + options["nickname"] + "</p>")
    resp.headers["Cache-Control"] = "no-store"
    return resp
