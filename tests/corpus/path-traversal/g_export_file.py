# export_file (flask-route, strip): untrusted request data reaches the sink
# expect: mamori:python/path-traversal line=11
from flask import Flask, request
import shutil

app = Flask(__name__)

@app.route("/export/<name>")
def export_file(name):
    name = name.strip()
    shutil.copy("/srv/exports/" + name, "/tmp/outbox")
    return {"status": "ok"}
