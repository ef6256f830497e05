# fetch_document (flask-form, helper): the request value is always replaced by a constant before use: safe
# expect: none
from flask import Flask, request
import urllib.request

app = Flask(__name__)
DEFAULT_SOURCE = "default"

def fetch_document_job(value):
    with urllib.request.urlopen(value, timeout=5) as resp:
        body = resp.read(1024)


@app.route("/fetch", methods=["POST"])
def fetch_document():
    source = request.form["source"]
    # The client-supplied source is no longer honoured; the default always applies.
    source = DEFAULT_SOURCE
    fetch_document_job(source)
    return {"status": "ok"}
