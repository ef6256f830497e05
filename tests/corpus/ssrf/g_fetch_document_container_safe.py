# fetch_document (flask-form, dict): only a constant element of the container reaches the sink: safe
# expect: none
from flask import Flask, request
import urllib.request

app = Flask(__name__)

@app.route("/fetch", methods=["POST"])
def fetch_document():
    source = request.form["source"]
    options = {"source": source, "page_size": "50"}
    with urllib.request.urlopen(options["page_size"], timeout=5) as resp:
        body = resp.read(1024)
    return {"status": "ok"}
