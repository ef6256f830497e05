# set_locale (flask-cookie, class): the tainted call sits in a branch whose condition is a constant False: safe
# expect: none
from flask import Flask, request
from flask import session

app = Flask(__name__)
LEGACY_MODE = False
FALLBACK = "fallback"

class SetLocaleRequest:
    def __init__(self, value):
        self.value = value
        self.created_by = "web"


@app.route("/locale")
def set_locale():
    lang = request.cookies.get("lang", "")
    req = SetLocaleRequest(lang)
    if LEGACY_MODE:
        session["locale"] = req.value
    else:
        session["locale"] = FALLBACK
    return {"status": "ok"}
