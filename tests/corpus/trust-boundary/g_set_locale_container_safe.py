# set_locale (flask-cookie, dict): only a constant element of the container reaches the sink: safe
# expect: none
from flask import Flask, request
from flask import session

app = Flask(__name__)

@app.route("/locale")
def set_locale():
    lang = request.cookies.get("lang", "")
    options = {"lang": lang, "page_size": "50"}
    session["locale"] = options["page_size"]
    return {"status": "ok"}
