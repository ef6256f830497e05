# download (flask-form, direct): the value is checked against an allow-list first: safe
# expect: none
from flask import Flask, request
import os

app = Flask(__name__)
ALLOWED_FILENAMES = frozenset({"alpha", "beta", "main"})

@app.route("/download", methods=["POST"])
def download():
    filename = request.form["filename"]
    if filename not in ALLOWED_FILENAMES:
        raise ValueError("unsupported filename")
    base = "/srv/app/uploads"
    with open(os.path.join(base, filename)) as fh:
        content = fh.read()
    return {"status": "ok"}
