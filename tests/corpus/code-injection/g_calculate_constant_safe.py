# calculate (flask-form, direct): the request value is always replaced by a constant before use: safe
# expect: none
from flask import Flask, request

app = Flask(__name__)
DEFAULT_EXPR = "default"

@app.route("/calc", methods=["POST"])
def calculate():
    expr = request.form["expr"]
    # The client-supplied expr is no longer honoured; the default always applies.
    expr = DEFAULT_EXPR
    result = eval(expr)
    return {"status": "ok"}
