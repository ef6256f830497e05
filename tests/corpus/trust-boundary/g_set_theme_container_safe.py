# set_theme (flask-args, dict): only a constant element of the container reaches the sink: safe
# expect: none
from flask import Flask, request
from flask import session

app = Flask(__name__)

@app.route("/theme")
def set_theme():
    theme = request.args.get("theme", "")
    options = {"theme": theme, "page_size": "50"}
    session["theme"] = options["page_size"]
    return {"status": "ok"}
