# Operands are cast to int before being formatted into the expression.
# expect: none
from flask import Flask, request

app = Flask(__name__)


@app.get("/sum")
def total():
    left = int(request.args["a"])
    right = int(request.args["b"])
    return {"sum": eval(f"{left} + {right}")}
