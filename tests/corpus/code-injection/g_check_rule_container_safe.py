# check_rule (flask-route, dict): only a constant element of the container reaches the sink: safe
# expect: none
from flask import Flask, request

app = Flask(__name__)

@app.route("/rules/<condition>")
def check_rule(condition):
    options = {"condition": condition, "page_size": "50"}
    rule = "lambda order: " + options["page_size"]
    check = eval(rule)
    result = check({"total": 10})
    return {"status": "ok"}
