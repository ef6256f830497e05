# The requested file must be one of the files actually present in the directory.
# expect: none
import os

from flask import Flask, abort, request, send_file

app = Flask(__name__)
BASE = "/srv/public-reports"


@app.get("/public-report")
def public_report():
    name = request.args.get("name", "")
    if name not in os.listdir(BASE):
        abort(404)
    return send_file(os.path.join(BASE, name))
