# werkzeug secure_filename before saving an upload: safe.
# expect: none
from flask import Flask, request

app = Flask(__name__)

import os
from werkzeug.utils import secure_filename

UPLOADS = "/srv/uploads"

@app.post("/upload")
def upload():
    f = request.files["doc"]
    f.save(os.path.join(UPLOADS, secure_filename(f.filename)))
    return {"ok": True}
