# Calculator evaluating a query parameter.
# expect: mamori:python/code-injection line=10
from flask import Flask, request

app = Flask(__name__)

@app.route("/calc")
def calc():
    expr = request.args.get("expr", "1+1")
    return {"result": eval(expr)}
