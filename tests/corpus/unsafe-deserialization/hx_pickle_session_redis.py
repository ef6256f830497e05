# Session data posted by a trusted-looking internal header, unpickled.
# expect: mamori:python/unsafe-deserialization line=15
import base64
import pickle

from flask import Flask, request

app = Flask(__name__)


@app.post("/internal/session/restore")
def restore():
    blob = request.headers.get("X-Session-Blob", "")
    data = base64.b64decode(blob.encode("ascii"))
    state = pickle.loads(data)
    return {"keys": list(state)}
