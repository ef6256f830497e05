# check_rule (flask-route, strip): sanitised for a different sink, which does not help here: still vulnerable
# expect: mamori:python/code-injection line=13
from flask import Flask, request
import html

app = Flask(__name__)

@app.route("/rules/<condition>")
def check_rule(condition):
    condition = html.escape(condition)
    condition = condition.strip()
    rule = "lambda order: " + condition
    check = eval(rule)
    result = check({"total": 10})
    return {"status": "ok"}
