# load_prefs (fastapi-path, direct): the value is checked against an allow-list first: safe
# expect: none
from fastapi import FastAPI
import base64
import pickle

app = FastAPI()
ALLOWED_PREFSS = frozenset({"alpha", "beta", "main"})

@app.get("/prefs/{prefs}")
def load_prefs(prefs: str):
    if prefs not in ALLOWED_PREFSS:
        raise ValueError("unsupported prefs")
    prefs = pickle.loads(base64.b64decode(prefs))
    return {"status": "ok"}
