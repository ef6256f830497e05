# load_prefs (fastapi-path, dict): only a constant element of the container reaches the sink: safe
# expect: none
from fastapi import FastAPI
import base64
import pickle

app = FastAPI()

@app.get("/prefs/{prefs}")
def load_prefs(prefs: str):
    options = {"prefs": prefs, "page_size": "50"}
    prefs = pickle.loads(base64.b64decode(options["page_size"]))
    return {"status": "ok"}
