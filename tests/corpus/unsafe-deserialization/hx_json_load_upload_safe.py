# Uploaded settings parsed as JSON.
# expect: none
import json

from flask import Flask, request

app = Flask(__name__)


@app.post("/settings/upload")
def settings_upload():
    settings = json.load(request.files["settings"])
    return {"keys": sorted(settings)}
