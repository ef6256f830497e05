# set_role (flask-form, dict): the same data goes through the safe form of the API: safe
# expect: none
from flask import Flask, request
from flask import session

app = Flask(__name__)

@app.route("/become", methods=["POST"])
def set_role():
    role = request.form["role"]
    options = {"role": role, "page_size": "50"}
    session["role"] = "viewer"
    session["requested"] = len(options["role"])
    return {"status": "ok"}
