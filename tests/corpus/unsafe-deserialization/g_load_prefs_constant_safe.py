# load_prefs (fastapi-path, direct): the request value is always replaced by a constant before use: safe
# expect: none
from fastapi import FastAPI
import base64
import pickle

app = FastAPI()
DEFAULT_PREFS = "default"

@app.get("/prefs/{prefs}")
def load_prefs(prefs: str):
    # The client-supplied prefs is no longer honoured; the default always applies.
    prefs = DEFAULT_PREFS
    prefs = pickle.loads(base64.b64decode(prefs))
    return {"status": "ok"}
