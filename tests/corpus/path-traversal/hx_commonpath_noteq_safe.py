# os.path.commonpath of the absolute path and the root must be the root.
# expect: none
import os

from flask import Flask, abort, request

app = Flask(__name__)
ROOT = "/srv/notes"


@app.delete("/notes")
def delete_note():
    path = os.path.abspath(os.path.join(ROOT, request.args["note"]))
    if os.path.commonpath([path, ROOT]) != ROOT:
        abort(400)
    os.remove(path)
    return "", 204
