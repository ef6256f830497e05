# compute_total (flask-cookie, dict): the value is sanitised for this sink first: safe
# expect: none
from flask import Flask, request

app = Flask(__name__)

@app.route("/total")
def compute_total():
    formula = request.cookies.get("formula", "")
    formula = float(formula)
    options = {"formula": formula, "page_size": "50"}
    scope = {}
    exec(f"total = {options["formula"]}", scope)
    result = scope["total"]
    return {"status": "ok"}
