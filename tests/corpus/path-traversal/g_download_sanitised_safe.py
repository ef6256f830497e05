# download (flask-form, direct): the value is sanitised for this sink first: safe
# expect: none
from flask import Flask, request
import os

app = Flask(__name__)

@app.route("/download", methods=["POST"])
def download():
    filename = request.form["filename"]
    filename = os.path.basename(filename)
    base = "/srv/app/uploads"
    with open(os.path.join(base, filename)) as fh:
        content = fh.read()
    return {"status": "ok"}
