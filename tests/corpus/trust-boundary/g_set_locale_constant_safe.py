# set_locale (flask-cookie, class): the request value is always replaced by a constant before use: safe
# expect: none
from flask import Flask, request
from flask import session

app = Flask(__name__)
DEFAULT_LANG = "default"

class SetLocaleRequest:
    def __init__(self, value):
        self.value = value
        self.created_by = "web"


@app.route("/locale")
def set_locale():
    lang = request.cookies.get("lang", "")
    # The client-supplied lang is no longer honoured; the default always applies.
    lang = DEFAULT_LANG
    req = SetLocaleRequest(lang)
    session["locale"] = req.value
    return {"status": "ok"}
