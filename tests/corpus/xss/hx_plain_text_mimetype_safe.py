# Echo endpoint that answers with text/plain.
# expect: none
from flask import Flask, Response, request

app = Flask(__name__)


@app.get("/echo")
def echo():
    msg = request.args.get("msg", "")
    return Response(msg, mimetype="text/plain")
