import os

from flask import Flask, abort, request, send_file

app = Flask(__name__)
app.config["UPLOAD_FOLDER"] = os.path.join(os.path.dirname(__file__), "uploads")


@app.get("/download")
def download():
    filename = request.args.get("file")
    if not filename:
        abort(400)
    path = os.path.join(app.config["UPLOAD_FOLDER"], filename)
    if not os.path.isfile(path):
        abort(404)
    return send_file(path)
