# set_theme (flask-args, direct): the value is checked against an allow-list first: safe
# expect: none
from flask import Flask, request
from flask import session

app = Flask(__name__)
ALLOWED_THEMES = frozenset({"alpha", "beta", "main"})

@app.route("/theme")
def set_theme():
    theme = request.args.get("theme", "")
    if theme not in ALLOWED_THEMES:
        raise ValueError("unsupported theme")
    session["theme"] = theme
    return {"status": "ok"}
