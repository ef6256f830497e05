# download (flask-form, direct): untrusted request data reaches the sink
# expect: mamori:python/path-traversal line=12
from flask import Flask, request
import os

app = Flask(__name__)

@app.route("/download", methods=["POST"])
def download():
    filename = request.form["filename"]
    base = "/srv/app/uploads"
    with open(os.path.join(base, filename)) as fh:
        content = fh.read()
    return {"status": "ok"}
