# export_file (flask-route, strip): the tainted call sits in a branch whose condition is a constant False: safe
# expect: none
from flask import Flask, request
import shutil

app = Flask(__name__)
LEGACY_MODE = False
FALLBACK = "fallback"

@app.route("/export/<name>")
def export_file(name):
    name = name.strip()
    if LEGACY_MODE:
        shutil.copy("/srv/exports/" + name, "/tmp/outbox")
    else:
        shutil.copy("/srv/exports/" + FALLBACK, "/tmp/outbox")
    return {"status": "ok"}
