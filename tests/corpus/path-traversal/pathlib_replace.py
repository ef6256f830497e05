# Path(user).replace(...) moves a file the user names.
# expect: mamori:python/path-traversal line=12
from pathlib import Path

from flask import Flask, request

app = Flask(__name__)


@app.route("/archive", methods=["POST"])
def archive():
    Path(request.form["name"]).replace("/srv/archive/latest")
    return "ok"
