# make_response with user HTML.
# expect: mamori:python/xss line=12
from flask import Flask, request

app = Flask(__name__)

from flask import make_response

@app.route("/preview")
def preview():
    body = "<div>" + request.form.get("bio", "") + "</div>"
    return make_response(body)
