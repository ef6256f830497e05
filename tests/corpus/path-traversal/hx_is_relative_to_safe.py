# pathlib: the resolved path is checked with is_relative_to before reading.
# expect: none
from pathlib import Path

from flask import Flask, abort, request

app = Flask(__name__)
DOCS = Path("/srv/docs").resolve()


@app.get("/docs")
def docs():
    target = (DOCS / request.args.get("page", "index.md")).resolve()
    if not target.is_relative_to(DOCS):
        abort(404)
    return target.read_text()
