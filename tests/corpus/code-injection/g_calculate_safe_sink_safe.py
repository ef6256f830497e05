# calculate (flask-form, direct): the same data goes through the safe form of the API: safe
# expect: none
from flask import Flask, request
import ast

app = Flask(__name__)

@app.route("/calc", methods=["POST"])
def calculate():
    expr = request.form["expr"]
    result = ast.literal_eval(expr)
    return {"status": "ok"}
