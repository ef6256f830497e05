# set_theme (flask-args, direct): the tainted call sits in a branch whose condition is a constant False: safe
# expect: none
from flask import Flask, request
from flask import session

app = Flask(__name__)
LEGACY_MODE = False
FALLBACK = "fallback"

@app.route("/theme")
def set_theme():
    theme = request.args.get("theme", "")
    if LEGACY_MODE:
        session["theme"] = theme
    else:
        session["theme"] = FALLBACK
    return {"status": "ok"}
