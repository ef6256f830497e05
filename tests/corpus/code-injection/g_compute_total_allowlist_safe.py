# compute_total (flask-cookie, dict): the value is checked against an allow-list first: safe
# expect: none
from flask import Flask, request

app = Flask(__name__)
ALLOWED_FORMULAS = frozenset({"alpha", "beta", "main"})

@app.route("/total")
def compute_total():
    formula = request.cookies.get("formula", "")
    if formula not in ALLOWED_FORMULAS:
        raise ValueError("unsupported formula")
    options = {"formula": formula, "page_size": "50"}
    scope = {}
    exec(f"total = {options["formula"]}", scope)
    result = scope["total"]
    return {"status": "ok"}
