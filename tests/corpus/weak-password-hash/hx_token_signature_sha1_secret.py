# Download links signed with sha1 over the path and a secret key.
# expect: mamori:python/weak-password-hash line=14
import hashlib
import os

from flask import Flask, abort, request, send_from_directory

app = Flask(__name__)
LINK_SECRET = os.environ.get("LINK_SECRET", "")


@app.get("/dl/<path:name>")
def download(name: str):
    expected = hashlib.sha1((LINK_SECRET + name).encode()).hexdigest()
    if request.args.get("sig") != expected:
        abort(403)
    return send_from_directory("/srv/downloads", name)
