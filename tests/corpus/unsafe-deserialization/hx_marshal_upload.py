# Compiled rule bundles uploaded as files and loaded with marshal.
# expect: mamori:python/unsafe-deserialization line=14
import marshal

from flask import Flask, request

app = Flask(__name__)


@app.post("/bundles")
def upload_bundle():
    upload = request.files["bundle"]
    blob = upload.read()
    code = marshal.loads(blob)
    return {"name": getattr(code, "co_name", "?")}
