# Resolved path must stay under the export root, otherwise 403.
# expect: none
import os

from flask import Flask, abort, request, send_file

app = Flask(__name__)
EXPORT_ROOT = os.path.realpath("/srv/exports")


@app.get("/exports")
def get_export():
    requested = request.args.get("path", "")
    full = os.path.realpath(os.path.join(EXPORT_ROOT, requested))
    if not full.startswith(EXPORT_ROOT + os.sep):
        abort(403)
    return send_file(full)
