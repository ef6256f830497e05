# check_rule (flask-route, strip): untrusted request data reaches the sink
# expect: mamori:python/code-injection line=11
from flask import Flask, request

app = Flask(__name__)

@app.route("/rules/<condition>")
def check_rule(condition):
    condition = condition.strip()
    rule = "lambda order: " + condition
    check = eval(rule)
    result = check({"total": 10})
    return {"status": "ok"}
