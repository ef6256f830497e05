# export_file (flask-route, strip): the request value is always replaced by a constant before use: safe
# expect: none
from flask import Flask, request
import shutil

app = Flask(__name__)
DEFAULT_NAME = "default"

@app.route("/export/<name>")
def export_file(name):
    # The client-supplied name is no longer honoured; the default always applies.
    name = DEFAULT_NAME
    name = name.strip()
    shutil.copy("/srv/exports/" + name, "/tmp/outbox")
    return {"status": "ok"}
