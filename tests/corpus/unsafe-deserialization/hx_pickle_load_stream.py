# ML model upload unpickled straight from the file stream.
# expect: mamori:python/unsafe-deserialization line=14
import pickle

from flask import Flask, request

app = Flask(__name__)
MODELS: dict[str, object] = {}


@app.post("/models/<name>")
def upload_model(name: str):
    file = request.files["model"]
    MODELS[name] = pickle.load(file.stream)
    return {"loaded": name}
