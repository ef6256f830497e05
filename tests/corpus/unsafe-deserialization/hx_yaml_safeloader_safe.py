# yaml.load with SafeLoader.
# expect: none
import yaml
from flask import Flask, request

app = Flask(__name__)


@app.post("/manifests")
def manifest():
    doc = yaml.load(request.get_data(), Loader=yaml.SafeLoader)
    return {"kind": doc.get("kind") if isinstance(doc, dict) else None}
