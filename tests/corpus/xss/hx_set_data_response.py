# The response body is filled in after the Response object is created.
# expect: mamori:python/xss line=11
from flask import Flask, Response, request

app = Flask(__name__)


@app.get("/banner")
def banner():
    resp = Response(mimetype="text/html")
    resp.set_data("<div class='banner'>" + request.args.get("text", "") + "</div>")
    return resp
