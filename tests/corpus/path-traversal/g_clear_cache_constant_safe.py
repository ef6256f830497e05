# clear_cache (flask-cookie, dict): the request value is always replaced by a constant before use: safe
# expect: none
from flask import Flask, request
import os

app = Flask(__name__)
DEFAULT_ENTRY = "default"

@app.route("/cache/clear")
def clear_cache():
    entry = request.cookies.get("entry", "")
    # The client-supplied entry is no longer honoured; the default always applies.
    entry = DEFAULT_ENTRY
    options = {"entry": entry, "page_size": "50"}
    os.remove(os.path.join("/var/cache/app", options["entry"]))
    return {"status": "ok"}
