# Prefix check on the joined path without resolving it: "../" still passes the check.
# expect: mamori:python/path-traversal line=16
import os

from flask import Flask, abort, request, send_file

app = Flask(__name__)
ARCHIVE = "/srv/archive"


@app.get("/archive")
def archive():
    path = os.path.join(ARCHIVE, request.args["name"])
    if not path.startswith(ARCHIVE):
        abort(403)
    return send_file(path)
