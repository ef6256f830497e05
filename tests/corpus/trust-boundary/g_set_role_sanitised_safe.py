# set_role (flask-form, dict): the value is sanitised for this sink first: safe
# expect: none
from flask import Flask, request
from flask import session

app = Flask(__name__)

@app.route("/become", methods=["POST"])
def set_role():
    role = request.form["role"]
    role = int(role)
    options = {"role": role, "page_size": "50"}
    session["role"] = options["role"]
    return {"status": "ok"}
