# set_role (flask-form, dict): the request value is always replaced by a constant before use: safe
# expect: none
from flask import Flask, request
from flask import session

app = Flask(__name__)
DEFAULT_ROLE = "default"

@app.route("/become", methods=["POST"])
def set_role():
    role = request.form["role"]
    # The client-supplied role is no longer honoured; the default always applies.
    role = DEFAULT_ROLE
    options = {"role": role, "page_size": "50"}
    session["role"] = options["role"]
    return {"status": "ok"}
