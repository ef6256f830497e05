# The joined path is resolved inline in the containment check.
# expect: none
import os

from flask import Flask, abort, request, send_file

app = Flask(__name__)
ARCHIVE = "/srv/archive"


@app.get("/archive")
def archive():
    path = os.path.join(ARCHIVE, request.args["name"])
    if not os.path.realpath(path).startswith(ARCHIVE + os.sep):
        abort(403)
    return send_file(path)
