# os.path.basename strips directories: safe.
# expect: none
from flask import Flask, request

app = Flask(__name__)

import os

BASE = "/srv/reports"

@app.route("/report")
def report():
    name = os.path.basename(request.args.get("file", ""))
    with open(os.path.join(BASE, name), "rb") as fh:
        data = fh.read()
    return data, 200, {"Content-Type": "application/pdf"}
