# check_rule (flask-route, strip): the tainted call sits in a branch whose condition is a constant False: safe
# expect: none
from flask import Flask, request

app = Flask(__name__)
LEGACY_MODE = False
FALLBACK = "fallback"

@app.route("/rules/<condition>")
def check_rule(condition):
    condition = condition.strip()
    if LEGACY_MODE:
        rule = "lambda order: " + condition
        check = eval(rule)
        result = check({"total": 10})
    else:
        rule = "lambda order: " + FALLBACK
        check = eval(rule)
        result = check({"total": 10})
    return {"status": "ok"}
