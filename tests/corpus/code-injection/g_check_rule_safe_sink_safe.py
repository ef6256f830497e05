# check_rule (flask-route, strip): the same data goes through the safe form of the API: safe
# expect: none
from flask import Flask, request
import json

app = Flask(__name__)

@app.route("/rules/<condition>")
def check_rule(condition):
    condition = condition.strip()
    result = json.loads(condition)
    return {"status": "ok"}
