# Redirect built by setting the Location header on a response object.
# expect: mamori:python/open-redirect line=11
from flask import Flask, make_response, request

app = Flask(__name__)


@app.get("/continue")
def continue_to():
    resp = make_response("", 302)
    resp.headers["Location"] = request.args.get("to", "/")
    return resp
