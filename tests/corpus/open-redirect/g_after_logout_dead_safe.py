# after_logout (flask-form, dict): the tainted call sits in a branch whose condition is a constant False: safe
# expect: none
from flask import Flask, request
from flask import redirect

app = Flask(__name__)
LEGACY_MODE = False
FALLBACK = "fallback"

@app.route("/logout", methods=["POST"])
def after_logout():
    return_to = request.form["return_to"]
    options = {"return_to": return_to, "page_size": "50"}
    if LEGACY_MODE:
        return redirect(options["return_to"], code=302)
    else:
        return redirect(FALLBACK, code=302)
