# yaml.load with the full Loader on an upload.
# expect: mamori:python/unsafe-deserialization line=11
from flask import Flask, request

app = Flask(__name__)

import yaml

@app.post("/config")
def config():
    cfg = yaml.load(request.files["cfg"].read(), Loader=yaml.Loader)
    return {"keys": sorted(cfg)}
