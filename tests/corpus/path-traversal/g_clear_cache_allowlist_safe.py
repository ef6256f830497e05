# clear_cache (flask-cookie, dict): the value is checked against an allow-list first: safe
# expect: none
from flask import Flask, request
import os

app = Flask(__name__)
ALLOWED_ENTRYS = frozenset({"alpha", "beta", "main"})

@app.route("/cache/clear")
def clear_cache():
    entry = request.cookies.get("entry", "")
    if entry not in ALLOWED_ENTRYS:
        raise ValueError("unsupported entry")
    options = {"entry": entry, "page_size": "50"}
    os.remove(os.path.join("/var/cache/app", options["entry"]))
    return {"status": "ok"}
