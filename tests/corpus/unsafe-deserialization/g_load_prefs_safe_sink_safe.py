# load_prefs (fastapi-path, direct): the same data goes through the safe form of the API: safe
# expect: none
from fastapi import FastAPI
import base64
import pickle
import json

app = FastAPI()

@app.get("/prefs/{prefs}")
def load_prefs(prefs: str):
    prefs = json.loads(base64.b64decode(prefs))
    return {"status": "ok"}
