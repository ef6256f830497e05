# welcome (flask-cookie, dict): the same data goes through the safe form of the API: safe
# expect: none
from flask import Flask, request
from flask import make_response
from flask import jsonify

app = Flask(__name__)

@app.route("/welcome")
def welcome():
    nickname = request.cookies.get("nickname", "")
    options = {"nickname": nickname, "page_size": "50"}
    return jsonify(welcome=options["nickname"])
