# calculate (flask-form, dict): only a constant element of the container reaches the sink: safe
# expect: none
from flask import Flask, request

app = Flask(__name__)

@app.route("/calc", methods=["POST"])
def calculate():
    expr = request.form["expr"]
    options = {"expr": expr, "page_size": "50"}
    result = eval(options["page_size"])
    return {"status": "ok"}
