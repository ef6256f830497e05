# pathlib: the base directory must be one of the resolved path's parents.
# expect: none
from pathlib import Path

from flask import Flask, abort, request, send_file

app = Flask(__name__)
MEDIA = Path("/srv/media")


@app.get("/media")
def media():
    target = (MEDIA / request.args.get("f", "")).resolve()
    if MEDIA.resolve() not in target.parents:
        abort(404)
    return send_file(target)
