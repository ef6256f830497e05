# load_prefs (fastapi-path, direct): untrusted request data reaches the sink
# expect: mamori:python/unsafe-deserialization line=11
from fastapi import FastAPI
import base64
import pickle

app = FastAPI()

@app.get("/prefs/{prefs}")
def load_prefs(prefs: str):
    prefs = pickle.loads(base64.b64decode(prefs))
    return {"status": "ok"}
