# export_file (flask-route, strip): sanitised for a different sink, which does not help here: still vulnerable
# expect: mamori:python/path-traversal line=13
from flask import Flask, request
import shutil
import shlex

app = Flask(__name__)

@app.route("/export/<name>")
def export_file(name):
    name = shlex.quote(name)
    name = name.strip()
    shutil.copy("/srv/exports/" + name, "/tmp/outbox")
    return {"status": "ok"}
