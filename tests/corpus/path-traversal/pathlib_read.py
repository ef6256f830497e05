# pathlib: Path / user name, then read_text.
# expect: mamori:python/path-traversal line=14
from flask import Flask, request

app = Flask(__name__)

from pathlib import Path

TEMPLATES = Path("/srv/templates")

@app.route("/tpl")
def tpl():
    p = TEMPLATES / request.args["name"]
    return {"body": p.read_text()}
