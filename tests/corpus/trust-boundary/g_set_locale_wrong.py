# set_locale (flask-cookie, class): sanitised for a different sink, which does not help here: still vulnerable
# expect: mamori:python/trust-boundary line=20
from flask import Flask, request
from flask import session
import html

app = Flask(__name__)

class SetLocaleRequest:
    def __init__(self, value):
        self.value = value
        self.created_by = "web"


@app.route("/locale")
def set_locale():
    lang = request.cookies.get("lang", "")
    lang = html.escape(lang)
    req = SetLocaleRequest(lang)
    session["locale"] = req.value
    return {"status": "ok"}
