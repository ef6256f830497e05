# after_login (flask-args, dict): only a constant element of the container reaches the sink: safe
# expect: none
from flask import Flask, request
from flask import redirect

app = Flask(__name__)

@app.route("/login/done")
def after_login():
    next = request.args.get("next", "")
    options = {"next": next, "page_size": "50"}
    return redirect(options["page_size"])
