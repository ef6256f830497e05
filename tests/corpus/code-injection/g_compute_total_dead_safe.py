# compute_total (flask-cookie, dict): the tainted call sits in a branch whose condition is a constant False: safe
# expect: none
from flask import Flask, request

app = Flask(__name__)
LEGACY_MODE = False
FALLBACK = "fallback"

@app.route("/total")
def compute_total():
    formula = request.cookies.get("formula", "")
    options = {"formula": formula, "page_size": "50"}
    if LEGACY_MODE:
        scope = {}
        exec(f"total = {options["formula"]}", scope)
        result = scope["total"]
    else:
        scope = {}
        exec(f"total = {FALLBACK}", scope)
        result = scope["total"]
    return {"status": "ok"}
