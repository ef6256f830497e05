# shlex.quote does not escape HTML.
# expect: mamori:python/xss line=12
from flask import Flask, request

app = Flask(__name__)

import shlex

@app.route("/hello")
def hello():
    name = shlex.quote(request.args.get("name", ""))
    return "<p>" + name + "</p>"
