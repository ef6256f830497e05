# Pipeline definitions uploaded as YAML and parsed with the full Loader.
# expect: mamori:python/unsafe-deserialization line=11
import yaml
from flask import Flask, request

app = Flask(__name__)


@app.post("/pipelines")
def create_pipeline():
    spec = yaml.load(request.data, Loader=yaml.Loader)
    if not isinstance(spec, dict) or "steps" not in spec:
        return {"error": "invalid pipeline"}, 422
    return {"steps": len(spec["steps"])}, 201
