# werkzeug safe_join: safe.
# expect: none
from flask import Flask, request

app = Flask(__name__)

from flask import abort, send_file
from werkzeug.utils import safe_join

BASE = "/srv/files"

@app.route("/files/<path:name>")
def files(name):
    full = safe_join(BASE, name)
    if full is None:
        abort(404)
    return send_file(full)
