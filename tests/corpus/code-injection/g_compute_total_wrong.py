# compute_total (flask-cookie, dict): sanitised for a different sink, which does not help here: still vulnerable
# expect: mamori:python/code-injection line=14
from flask import Flask, request
import html

app = Flask(__name__)

@app.route("/total")
def compute_total():
    formula = request.cookies.get("formula", "")
    formula = html.escape(formula)
    options = {"formula": formula, "page_size": "50"}
    scope = {}
    exec(f"total = {options["formula"]}", scope)
    result = scope["total"]
    return {"status": "ok"}
