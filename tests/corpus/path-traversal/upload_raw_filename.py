# An upload saved under the client's file name.
# expect: mamori:python/path-traversal line=14
from flask import Flask, request

app = Flask(__name__)

import os

UPLOADS = "/srv/uploads"

@app.post("/upload")
def upload():
    f = request.files["doc"]
    f.save(os.path.join(UPLOADS, f.filename))
    return {"ok": True}
