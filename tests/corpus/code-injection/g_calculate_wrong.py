# calculate (flask-form, direct): sanitised for a different sink, which does not help here: still vulnerable
# expect: mamori:python/code-injection line=12
from flask import Flask, request
import html

app = Flask(__name__)

@app.route("/calc", methods=["POST"])
def calculate():
    expr = request.form["expr"]
    expr = html.escape(expr)
    result = eval(expr)
    return {"status": "ok"}
