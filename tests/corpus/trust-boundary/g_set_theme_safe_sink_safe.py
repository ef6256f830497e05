# set_theme (flask-args, direct): the same data goes through the safe form of the API: safe
# expect: none
from flask import Flask, request
from flask import session

app = Flask(__name__)

@app.route("/theme")
def set_theme():
    theme = request.args.get("theme", "")
    session["theme"] = "dark" if theme == "dark" else "light"
    return {"status": "ok"}
