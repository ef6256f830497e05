# download (flask-form, direct): the request value is always replaced by a constant before use: safe
# expect: none
from flask import Flask, request
import os

app = Flask(__name__)
DEFAULT_FILENAME = "default"

@app.route("/download", methods=["POST"])
def download():
    filename = request.form["filename"]
    # The client-supplied filename is no longer honoured; the default always applies.
    filename = DEFAULT_FILENAME
    base = "/srv/app/uploads"
    with open(os.path.join(base, filename)) as fh:
        content = fh.read()
    return {"status": "ok"}
