# set_role (flask-form, dict): only a constant element of the container reaches the sink: safe
# expect: none
from flask import Flask, request
from flask import session

app = Flask(__name__)

@app.route("/become", methods=["POST"])
def set_role():
    role = request.form["role"]
    options = {"role": role, "page_size": "50"}
    session["role"] = options["page_size"]
    return {"status": "ok"}
