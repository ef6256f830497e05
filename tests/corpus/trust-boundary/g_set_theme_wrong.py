# set_theme (flask-args, direct): sanitised for a different sink, which does not help here: still vulnerable
# expect: mamori:python/trust-boundary line=13
from flask import Flask, request
from flask import session
import html

app = Flask(__name__)

@app.route("/theme")
def set_theme():
    theme = request.args.get("theme", "")
    theme = html.escape(theme)
    session["theme"] = theme
    return {"status": "ok"}
