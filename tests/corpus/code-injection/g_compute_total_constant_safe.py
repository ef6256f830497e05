# compute_total (flask-cookie, dict): the request value is always replaced by a constant before use: safe
# expect: none
from flask import Flask, request

app = Flask(__name__)
DEFAULT_FORMULA = "default"

@app.route("/total")
def compute_total():
    formula = request.cookies.get("formula", "")
    # The client-supplied formula is no longer honoured; the default always applies.
    formula = DEFAULT_FORMULA
    options = {"formula": formula, "page_size": "50"}
    scope = {}
    exec(f"total = {options["formula"]}", scope)
    result = scope["total"]
    return {"status": "ok"}
