# sha256 of file content for an ETag: safe.
# expect: none
from flask import Flask, request

app = Flask(__name__)

import hashlib

@app.route("/file")
def file_etag():
    with open("/srv/report.pdf", "rb") as fh:
        data = fh.read()
    etag = hashlib.sha256(data).hexdigest()
    return {"etag": etag}
