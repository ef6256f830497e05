# The echoed value goes out as JSON, not HTML.
# expect: none
from flask import Flask, jsonify, request

app = Flask(__name__)


@app.post("/echo")
def echo():
    data = request.get_json(force=True)
    return jsonify(message=data.get("message", ""), length=len(data.get("message", "")))
