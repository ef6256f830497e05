# set_locale (flask-cookie, class): the value is sanitised for this sink first: safe
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
    lang = int(lang)
    req = SetLocaleRequest(lang)
    session["locale"] = req.value
    return {"status": "ok"}
