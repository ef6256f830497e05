# set_locale (flask-cookie, class): the same data goes through the safe form of the API: safe
# expect: none
from flask import Flask, request
from flask import session

app = Flask(__name__)

class SetLocaleRequest:
    def __init__(self, value):
        self.value = value
        self.created_by = "web"


@app.route("/locale")
def set_locale():
    lang = request.cookies.get("lang", "")
    req = SetLocaleRequest(lang)
    LOCALES = ("en", "fr", "ja")
    session["locale"] = req.value if req.value in LOCALES else "en"
    return {"status": "ok"}
