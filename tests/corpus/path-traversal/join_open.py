# Download joins a query parameter onto the base directory.
# expect: mamori:python/path-traversal line=15
from flask import Flask, request

app = Flask(__name__)

import os

BASE = "/srv/reports"

@app.route("/report")
def report():
    name = request.args.get("file", "")
    path = os.path.join(BASE, name)
    with open(path, "rb") as fh:
        return fh.read(), 200, {"Content-Type": "application/pdf"}
