# after_login (flask-args, direct): the same data goes through the safe form of the API: safe
# expect: none
from flask import Flask, request
from flask import redirect
from flask import redirect, url_for

app = Flask(__name__)

@app.route("/login/done")
def after_login():
    next = request.args.get("next", "")
    return redirect(url_for("dashboard", ref=next))
