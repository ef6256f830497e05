# clear_cache (flask-cookie, dict): sanitised for a different sink, which does not help here: still vulnerable
# expect: mamori:python/path-traversal line=14
from flask import Flask, request
import os
import shlex

app = Flask(__name__)

@app.route("/cache/clear")
def clear_cache():
    entry = request.cookies.get("entry", "")
    entry = shlex.quote(entry)
    options = {"entry": entry, "page_size": "50"}
    os.remove(os.path.join("/var/cache/app", options["entry"]))
    return {"status": "ok"}
