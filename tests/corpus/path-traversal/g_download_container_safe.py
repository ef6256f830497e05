# download (flask-form, dict): only a constant element of the container reaches the sink: safe
# expect: none
from flask import Flask, request
import os

app = Flask(__name__)

@app.route("/download", methods=["POST"])
def download():
    filename = request.form["filename"]
    options = {"filename": filename, "page_size": "50"}
    base = "/srv/app/uploads"
    with open(os.path.join(base, options["page_size"])) as fh:
        content = fh.read()
    return {"status": "ok"}
