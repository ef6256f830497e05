# clear_cache (flask-cookie, dict): untrusted request data reaches the sink
# expect: mamori:python/path-traversal line=12
from flask import Flask, request
import os

app = Flask(__name__)

@app.route("/cache/clear")
def clear_cache():
    entry = request.cookies.get("entry", "")
    options = {"entry": entry, "page_size": "50"}
    os.remove(os.path.join("/var/cache/app", options["entry"]))
    return {"status": "ok"}
