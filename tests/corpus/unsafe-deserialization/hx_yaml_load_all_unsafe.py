# Multi-document YAML import with yaml.load_all and UnsafeLoader.
# expect: mamori:python/unsafe-deserialization line=12
import yaml
from flask import Flask, request

app = Flask(__name__)


@app.post("/k8s/apply")
def apply_manifests():
    text = request.files["manifests"].read().decode("utf-8")
    docs = list(yaml.load_all(text, Loader=yaml.UnsafeLoader))
    return {"documents": len(docs)}
