# Upload name cleaned with werkzeug's secure_filename before saving.
# expect: none
import os

from flask import Flask, request
from werkzeug.utils import secure_filename

app = Flask(__name__)
UPLOAD_DIR = "/var/www/uploads"


@app.post("/avatar")
def avatar():
    file = request.files["avatar"]
    filename = secure_filename(file.filename or "")
    if not filename:
        return {"error": "bad name"}, 400
    file.save(os.path.join(UPLOAD_DIR, filename))
    return {"saved": filename}
