# compute_total (flask-cookie, dict): the same data goes through the safe form of the API: safe
# expect: none
from flask import Flask, request
import ast

app = Flask(__name__)

@app.route("/total")
def compute_total():
    formula = request.cookies.get("formula", "")
    options = {"formula": formula, "page_size": "50"}
    result = ast.literal_eval(options["formula"])
    return {"status": "ok"}
