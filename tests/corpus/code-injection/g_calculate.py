# calculate (flask-form, direct): untrusted request data reaches the sink
# expect: mamori:python/code-injection line=10
from flask import Flask, request

app = Flask(__name__)

@app.route("/calc", methods=["POST"])
def calculate():
    expr = request.form["expr"]
    result = eval(expr)
    return {"status": "ok"}
