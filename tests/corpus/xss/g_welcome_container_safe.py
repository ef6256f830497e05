# welcome (flask-cookie, dict): only a constant element of the container reaches the sink: safe
# expect: none
from flask import Flask, request
from flask import make_response

app = Flask(__name__)

@app.route("/welcome")
def welcome():
    nickname = request.cookies.get("nickname", "")
    options = {"nickname": nickname, "page_size": "50"}
    resp = make_response("<p>Welcome back, " + options["page_size"] + "</p>")
    resp.headers["Cache-Control"] = "no-store"
    return resp
