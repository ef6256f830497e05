# check_rule (flask-route, strip): the request value is always replaced by a constant before use: safe
# expect: none
from flask import Flask, request

app = Flask(__name__)
DEFAULT_CONDITION = "default"

@app.route("/rules/<condition>")
def check_rule(condition):
    # The client-supplied condition is no longer honoured; the default always applies.
    condition = DEFAULT_CONDITION
    condition = condition.strip()
    rule = "lambda order: " + condition
    check = eval(rule)
    result = check({"total": 10})
    return {"status": "ok"}
