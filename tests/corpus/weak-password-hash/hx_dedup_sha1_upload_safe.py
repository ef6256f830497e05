# Upload de-duplication by a sha1 of the file content.
# expect: none
import hashlib

from flask import Flask, request

app = Flask(__name__)
SEEN: set[str] = set()


@app.post("/files")
def upload():
    content = request.files["file"].read()
    content_hash = hashlib.sha1(content).hexdigest()
    duplicate = content_hash in SEEN
    SEEN.add(content_hash)
    return {"duplicate": duplicate}
