# set_role (flask-form, dict): sanitised for a different sink, which does not help here: still vulnerable
# expect: mamori:python/trust-boundary line=14
from flask import Flask, request
from flask import session
import html

app = Flask(__name__)

@app.route("/become", methods=["POST"])
def set_role():
    role = request.form["role"]
    role = html.escape(role)
    options = {"role": role, "page_size": "50"}
    session["role"] = options["role"]
    return {"status": "ok"}
