# check_rule (flask-route, strip): the value is sanitised for this sink first: safe
# expect: none
from flask import Flask, request

app = Flask(__name__)

@app.route("/rules/<condition>")
def check_rule(condition):
    condition = float(condition)
    condition = condition.strip()
    rule = "lambda order: " + condition
    check = eval(rule)
    result = check({"total": 10})
    return {"status": "ok"}
