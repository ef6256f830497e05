# set_role (flask-form, dict): the tainted call sits in a branch whose condition is a constant False: safe
# expect: none
from flask import Flask, request
from flask import session

app = Flask(__name__)
LEGACY_MODE = False
FALLBACK = "fallback"

@app.route("/become", methods=["POST"])
def set_role():
    role = request.form["role"]
    options = {"role": role, "page_size": "50"}
    if LEGACY_MODE:
        session["role"] = options["role"]
    else:
        session["role"] = FALLBACK
    return {"status": "ok"}
