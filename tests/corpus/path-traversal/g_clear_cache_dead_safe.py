# clear_cache (flask-cookie, dict): the tainted call sits in a branch whose condition is a constant False: safe
# expect: none
from flask import Flask, request
import os

app = Flask(__name__)
LEGACY_MODE = False
FALLBACK = "fallback"

@app.route("/cache/clear")
def clear_cache():
    entry = request.cookies.get("entry", "")
    options = {"entry": entry, "page_size": "50"}
    if LEGACY_MODE:
        os.remove(os.path.join("/var/cache/app", options["entry"]))
    else:
        os.remove(os.path.join("/var/cache/app", FALLBACK))
    return {"status": "ok"}
