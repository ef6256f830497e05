# welcome (flask-cookie, dict): untrusted request data reaches the sink
# expect: mamori:python/xss line=12
from flask import Flask, request
from flask import make_response

app = Flask(__name__)

@app.route("/welcome")
def welcome():
    nickname = request.cookies.get("nickname", "")
    options = {"nickname": nickname, "page_size": "50"}
    resp = make_response("<p>Welcome back, " + options["nickname"] + "</p>")
    resp.headers["Cache-Control"] = "no-store"
    return resp
