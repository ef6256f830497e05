# Rejects names containing ".." or starting with a slash before serving the file.
# expect: none
import os

from flask import Flask, abort, request, send_file

app = Flask(__name__)
FILES = "/srv/files"


@app.get("/files")
def files():
    filename = request.args.get("name", "")
    if ".." in filename or filename.startswith("/"):
        abort(400)
    return send_file(os.path.join(FILES, filename))
