# Pickle used for a server-side cache file; nothing from the request is unpickled.
# expect: none
import pickle
from pathlib import Path

from flask import Flask, request

app = Flask(__name__)
CACHE_FILE = Path("/var/cache/myapp/index.pkl")


@app.get("/index")
def index():
    with CACHE_FILE.open("rb") as fh:
        index = pickle.load(fh)
    term = request.args.get("term", "")
    return {"hits": index.get(term, [])}
