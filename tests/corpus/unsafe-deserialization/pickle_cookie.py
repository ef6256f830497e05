# Preferences unpickled from a cookie.
# expect: mamori:python/unsafe-deserialization line=13
from flask import Flask, request

app = Flask(__name__)

import base64
import pickle

@app.route("/prefs")
def prefs():
    raw = request.cookies.get("prefs", "")
    data = pickle.loads(base64.b64decode(raw))
    return {"theme": data.get("theme")}
