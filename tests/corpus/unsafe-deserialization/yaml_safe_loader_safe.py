# yaml.load with SafeLoader: safe.
# expect: none
from flask import Flask, request

app = Flask(__name__)

import yaml

@app.post("/config")
def config():
    cfg = yaml.load(request.data, Loader=yaml.SafeLoader)
    return {"keys": sorted(cfg)}
