# set_theme (flask-args, direct): untrusted request data reaches the sink
# expect: mamori:python/trust-boundary line=11
from flask import Flask, request
from flask import session

app = Flask(__name__)

@app.route("/theme")
def set_theme():
    theme = request.args.get("theme", "")
    session["theme"] = theme
    return {"status": "ok"}
