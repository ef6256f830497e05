# compute_total (flask-cookie, dict): untrusted request data reaches the sink
# expect: mamori:python/code-injection line=12
from flask import Flask, request

app = Flask(__name__)

@app.route("/total")
def compute_total():
    formula = request.cookies.get("formula", "")
    options = {"formula": formula, "page_size": "50"}
    scope = {}
    exec(f"total = {options["formula"]}", scope)
    result = scope["total"]
    return {"status": "ok"}
