# ast.literal_eval only parses literals: safe.
# expect: none
from flask import Flask, request

app = Flask(__name__)

import ast

@app.route("/calc")
def calc():
    expr = request.args.get("expr", "1")
    return {"result": ast.literal_eval(expr)}
