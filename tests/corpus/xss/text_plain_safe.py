# A text/plain response is not HTML: safe.
# expect: none
from flask import Flask, request

app = Flask(__name__)

from flask import Response

@app.route("/echo")
def echo():
    return Response(request.args.get("m", ""), mimetype="text/plain")
