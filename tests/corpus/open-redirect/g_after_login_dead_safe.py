# after_login (flask-args, direct): the tainted call sits in a branch whose condition is a constant False: safe
# expect: none
from flask import Flask, request
from flask import redirect

app = Flask(__name__)
LEGACY_MODE = False
FALLBACK = "fallback"

@app.route("/login/done")
def after_login():
    next = request.args.get("next", "")
    if LEGACY_MODE:
        return redirect(next)
    else:
        return redirect(FALLBACK)
