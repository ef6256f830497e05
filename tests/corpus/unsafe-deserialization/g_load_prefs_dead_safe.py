# load_prefs (fastapi-path, direct): the tainted call sits in a branch whose condition is a constant False: safe
# expect: none
from fastapi import FastAPI
import base64
import pickle

app = FastAPI()
LEGACY_MODE = False
FALLBACK = "fallback"

@app.get("/prefs/{prefs}")
def load_prefs(prefs: str):
    if LEGACY_MODE:
        prefs = pickle.loads(base64.b64decode(prefs))
    else:
        prefs = pickle.loads(base64.b64decode(FALLBACK))
    return {"status": "ok"}
