# calculate (flask-form, direct): the value is sanitised for this sink first: safe
# expect: none
from flask import Flask, request

app = Flask(__name__)

@app.route("/calc", methods=["POST"])
def calculate():
    expr = request.form["expr"]
    expr = float(expr)
    result = eval(expr)
    return {"status": "ok"}
