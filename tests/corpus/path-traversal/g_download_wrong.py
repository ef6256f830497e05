# download (flask-form, direct): sanitised for a different sink, which does not help here: still vulnerable
# expect: mamori:python/path-traversal line=14
from flask import Flask, request
import os
import shlex

app = Flask(__name__)

@app.route("/download", methods=["POST"])
def download():
    filename = request.form["filename"]
    filename = shlex.quote(filename)
    base = "/srv/app/uploads"
    with open(os.path.join(base, filename)) as fh:
        content = fh.read()
    return {"status": "ok"}
