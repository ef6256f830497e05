# set_locale (flask-cookie, class): the value is checked against an allow-list first: safe
# expect: none
from flask import Flask, request
from flask import session

app = Flask(__name__)
ALLOWED_LANGS = frozenset({"alpha", "beta", "main"})

class SetLocaleRequest:
    def __init__(self, value):
        self.value = value
        self.created_by = "web"


@app.route("/locale")
def set_locale():
    lang = request.cookies.get("lang", "")
    if lang not in ALLOWED_LANGS:
        raise ValueError("unsupported lang")
    req = SetLocaleRequest(lang)
    session["locale"] = req.value
    return {"status": "ok"}
