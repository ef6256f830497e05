# Calculator endpoint evaluates the expression from the query string.
# expect: mamori:python/code-injection line=10
from flask import Flask, jsonify, request

app = Flask(__name__)


def calculate(expression: str) -> float:
    expression = expression.replace("^", "**")
    return eval(expression)


@app.get("/calc")
def calc():
    expr = request.args.get("expr", "1+1")
    try:
        return jsonify(result=calculate(expr))
    except (SyntaxError, ZeroDivisionError) as exc:
        return jsonify(error=str(exc)), 400
