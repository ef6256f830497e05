# set_theme (flask-args, direct): the value is sanitised for this sink first: safe
# expect: none
from flask import Flask, request
from flask import session

app = Flask(__name__)

@app.route("/theme")
def set_theme():
    theme = request.args.get("theme", "")
    theme = int(theme)
    session["theme"] = theme
    return {"status": "ok"}
