# export_file (flask-route, strip): the value is sanitised for this sink first: safe
# expect: none
from flask import Flask, request
import shutil
import os

app = Flask(__name__)

@app.route("/export/<name>")
def export_file(name):
    name = os.path.basename(name)
    name = name.strip()
    shutil.copy("/srv/exports/" + name, "/tmp/outbox")
    return {"status": "ok"}
