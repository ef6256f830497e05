# Download route joins a path converter onto the upload folder and calls send_file.
# expect: mamori:python/path-traversal line=16
import os

from flask import Flask, current_app, send_file

app = Flask(__name__)
app.config["UPLOAD_FOLDER"] = "/srv/uploads"


@app.route("/download/<path:filename>")
def download(filename):
    full_path = os.path.join(current_app.config["UPLOAD_FOLDER"], filename)
    if not os.path.exists(full_path):
        return "not found", 404
    return send_file(full_path, as_attachment=True)
