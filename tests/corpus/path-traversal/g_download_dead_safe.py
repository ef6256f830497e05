# download (flask-form, direct): the tainted call sits in a branch whose condition is a constant False: safe
# expect: none
from flask import Flask, request
import os

app = Flask(__name__)
LEGACY_MODE = False
FALLBACK = "fallback"

@app.route("/download", methods=["POST"])
def download():
    filename = request.form["filename"]
    if LEGACY_MODE:
        base = "/srv/app/uploads"
        with open(os.path.join(base, filename)) as fh:
            content = fh.read()
    else:
        base = "/srv/app/uploads"
        with open(os.path.join(base, FALLBACK)) as fh:
            content = fh.read()
    return {"status": "ok"}
