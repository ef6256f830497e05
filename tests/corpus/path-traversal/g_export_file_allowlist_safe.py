# export_file (flask-route, strip): the value is checked against an allow-list first: safe
# expect: none
from flask import Flask, request
import shutil

app = Flask(__name__)
ALLOWED_NAMES = frozenset({"alpha", "beta", "main"})

@app.route("/export/<name>")
def export_file(name):
    if name not in ALLOWED_NAMES:
        raise ValueError("unsupported name")
    name = name.strip()
    shutil.copy("/srv/exports/" + name, "/tmp/outbox")
    return {"status": "ok"}
