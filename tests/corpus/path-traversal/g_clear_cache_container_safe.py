# clear_cache (flask-cookie, dict): only a constant element of the container reaches the sink: safe
# expect: none
from flask import Flask, request
import os

app = Flask(__name__)

@app.route("/cache/clear")
def clear_cache():
    entry = request.cookies.get("entry", "")
    options = {"entry": entry, "page_size": "50"}
    os.remove(os.path.join("/var/cache/app", options["page_size"]))
    return {"status": "ok"}
