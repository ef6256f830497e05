# werkzeug's safe_join returns None for paths outside the base directory.
# expect: none
from flask import Flask, abort, request, send_file
from werkzeug.security import safe_join

app = Flask(__name__)
BASE = "/srv/downloads"


@app.get("/dl")
def dl():
    path = safe_join(BASE, request.args.get("file", ""))
    if path is None:
        abort(404)
    return send_file(path)
