# export_file (flask-route, dict): only a constant element of the container reaches the sink: safe
# expect: none
from flask import Flask, request
import shutil

app = Flask(__name__)

@app.route("/export/<name>")
def export_file(name):
    options = {"name": name, "page_size": "50"}
    shutil.copy("/srv/exports/" + options["page_size"], "/tmp/outbox")
    return {"status": "ok"}
