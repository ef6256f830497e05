# yaml.safe_load on the uploaded config.
# expect: none
import yaml
from flask import Flask, request

app = Flask(__name__)


@app.post("/config")
def upload_config():
    cfg = yaml.safe_load(request.files["config"].read())
    return {"sections": list(cfg or {})}
