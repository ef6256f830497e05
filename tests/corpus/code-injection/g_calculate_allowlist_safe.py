# calculate (flask-form, direct): the value is checked against an allow-list first: safe
# expect: none
from flask import Flask, request

app = Flask(__name__)
ALLOWED_EXPRS = frozenset({"alpha", "beta", "main"})

@app.route("/calc", methods=["POST"])
def calculate():
    expr = request.form["expr"]
    if expr not in ALLOWED_EXPRS:
        raise ValueError("unsupported expr")
    result = eval(expr)
    return {"status": "ok"}
