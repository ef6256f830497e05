# Upload saved under the client-supplied file name.
# expect: mamori:python/path-traversal line=17
import os

from flask import Flask, request

app = Flask(__name__)
UPLOAD_DIR = "/var/www/uploads"


@app.post("/upload")
def upload():
    f = request.files.get("file")
    if f is None or f.filename == "":
        return {"error": "no file"}, 400
    dest = os.path.join(UPLOAD_DIR, f.filename)
    f.save(dest)
    return {"saved": f.filename}, 201
