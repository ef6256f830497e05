# clear_cache (flask-cookie, dict): the value is sanitised for this sink first: safe
# expect: none
from flask import Flask, request
import os

app = Flask(__name__)

@app.route("/cache/clear")
def clear_cache():
    entry = request.cookies.get("entry", "")
    entry = os.path.basename(entry)
    options = {"entry": entry, "page_size": "50"}
    os.remove(os.path.join("/var/cache/app", options["entry"]))
    return {"status": "ok"}
