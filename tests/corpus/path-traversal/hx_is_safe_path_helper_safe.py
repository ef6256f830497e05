# A helper resolves the joined path and checks it stays under the base directory.
# expect: none
import os

from flask import Flask, abort, request, send_file

app = Flask(__name__)
BASE_DIR = "/srv/shared"


def is_safe_path(base: str, path: str) -> bool:
    full = os.path.realpath(os.path.join(base, path))
    return full.startswith(os.path.realpath(base) + os.sep)


@app.get("/shared")
def shared():
    name = request.args.get("file", "")
    if not is_safe_path(BASE_DIR, name):
        abort(403)
    return send_file(os.path.join(BASE_DIR, name))
