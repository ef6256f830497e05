# Export endpoint: the file name comes from request.view_args via a shared helper.
# expect: mamori:python/path-traversal line=19
import io
import os

from flask import Flask, request

app = Flask(__name__)
EXPORT_DIR = "/srv/exports"


def current_export_path() -> str:
    name = request.view_args["name"]
    return os.path.join(EXPORT_DIR, name)


@app.get("/exports/<path:name>/raw")
def raw_export(name):
    with io.open(current_export_path(), "rb") as fh:
        return fh.read()
