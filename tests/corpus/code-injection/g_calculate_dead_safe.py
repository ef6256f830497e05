# calculate (flask-form, direct): the tainted call sits in a branch whose condition is a constant False: safe
# expect: none
from flask import Flask, request

app = Flask(__name__)
LEGACY_MODE = False
FALLBACK = "fallback"

@app.route("/calc", methods=["POST"])
def calculate():
    expr = request.form["expr"]
    if LEGACY_MODE:
        result = eval(expr)
    else:
        result = eval(FALLBACK)
    return {"status": "ok"}
