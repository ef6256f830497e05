# realpath + startswith containment check: safe.
# expect: none
from flask import Flask, request

app = Flask(__name__)

import os
from flask import abort, send_file

BASE = "/srv/files"

@app.route("/files/<path:name>")
def files(name):
    full = os.path.realpath(os.path.join(BASE, name))
    if not full.startswith(BASE + os.sep):
        abort(404)
    return send_file(full)
