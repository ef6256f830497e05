# Stored file name is a server-generated UUID; the client name is kept only as metadata.
# expect: none
import os
import uuid

from flask import Flask, request

app = Flask(__name__)
STORE = "/srv/store"


@app.post("/store")
def store():
    upload = request.files["file"]
    stored_name = f"{uuid.uuid4().hex}.bin"
    upload.save(os.path.join(STORE, stored_name))
    return {"id": stored_name, "original": upload.filename}
