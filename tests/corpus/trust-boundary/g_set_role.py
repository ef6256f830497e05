# set_role (flask-form, dict): untrusted request data reaches the sink
# expect: mamori:python/trust-boundary line=12
from flask import Flask, request
from flask import session

app = Flask(__name__)

@app.route("/become", methods=["POST"])
def set_role():
    role = request.form["role"]
    options = {"role": role, "page_size": "50"}
    session["role"] = options["role"]
    return {"status": "ok"}
