# JSON response: safe.
# expect: none
from flask import Flask, request

app = Flask(__name__)

from flask import jsonify

@app.route("/echo")
def echo():
    return jsonify(message=request.args.get("m", ""))
