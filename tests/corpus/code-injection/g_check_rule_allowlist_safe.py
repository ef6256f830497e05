# check_rule (flask-route, strip): the value is checked against an allow-list first: safe
# expect: none
from flask import Flask, request

app = Flask(__name__)
ALLOWED_CONDITIONS = frozenset({"alpha", "beta", "main"})

@app.route("/rules/<condition>")
def check_rule(condition):
    if condition not in ALLOWED_CONDITIONS:
        raise ValueError("unsupported condition")
    condition = condition.strip()
    rule = "lambda order: " + condition
    check = eval(rule)
    result = check({"total": 10})
    return {"status": "ok"}
