# set_role (flask-form, dict): the value is checked against an allow-list first: safe
# expect: none
from flask import Flask, request
from flask import session

app = Flask(__name__)
ALLOWED_ROLES = frozenset({"alpha", "beta", "main"})

@app.route("/become", methods=["POST"])
def set_role():
    role = request.form["role"]
    if role not in ALLOWED_ROLES:
        raise ValueError("unsupported role")
    options = {"role": role, "page_size": "50"}
    session["role"] = options["role"]
    return {"status": "ok"}
