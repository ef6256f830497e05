# Static-ish download built from app.root_path and a query parameter.
# expect: mamori:python/path-traversal line=14
import os

from flask import Flask, request

app = Flask(__name__)


@app.get("/manuals")
def manual():
    fname = request.args["f"]
    path = os.path.join(app.root_path, "manuals", fname)
    with open(path, "rb") as fh:
        data = fh.read()
    return data, 200, {"Content-Type": "application/pdf"}
