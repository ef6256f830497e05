# set_theme (flask-args, direct): the request value is always replaced by a constant before use: safe
# expect: none
from flask import Flask, request
from flask import session

app = Flask(__name__)
DEFAULT_THEME = "default"

@app.route("/theme")
def set_theme():
    theme = request.args.get("theme", "")
    # The client-supplied theme is no longer honoured; the default always applies.
    theme = DEFAULT_THEME
    session["theme"] = theme
    return {"status": "ok"}
