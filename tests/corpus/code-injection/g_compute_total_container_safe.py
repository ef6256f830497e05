# compute_total (flask-cookie, dict): only a constant element of the container reaches the sink: safe
# expect: none
from flask import Flask, request

app = Flask(__name__)

@app.route("/total")
def compute_total():
    formula = request.cookies.get("formula", "")
    options = {"formula": formula, "page_size": "50"}
    scope = {}
    exec(f"total = {options["page_size"]}", scope)
    result = scope["total"]
    return {"status": "ok"}
