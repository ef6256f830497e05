# startswith on an unnormalised path does not stop ../
# expect: mamori:python/path-traversal line=17
from flask import Flask, request

app = Flask(__name__)

import os
from flask import abort, send_file

BASE = "/srv/files"

@app.route("/files/<path:name>")
def files(name):
    full = os.path.join(BASE, name)
    if not full.startswith(BASE):
        abort(404)
    return send_file(full)
