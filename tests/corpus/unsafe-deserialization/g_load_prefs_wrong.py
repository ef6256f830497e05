# load_prefs (fastapi-path, direct): sanitised for a different sink, which does not help here: still vulnerable
# expect: mamori:python/unsafe-deserialization line=13
from fastapi import FastAPI
import base64
import pickle
import html

app = FastAPI()

@app.get("/prefs/{prefs}")
def load_prefs(prefs: str):
    prefs = html.escape(prefs)
    prefs = pickle.loads(base64.b64decode(prefs))
    return {"status": "ok"}
