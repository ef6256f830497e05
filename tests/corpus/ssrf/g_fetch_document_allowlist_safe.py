# fetch_document (flask-form, helper): the value is checked against an allow-list first: safe
# expect: none
from flask import Flask, request
import urllib.request

app = Flask(__name__)
ALLOWED_SOURCES = frozenset({"alpha", "beta", "main"})

def fetch_document_job(value):
    with urllib.request.urlopen(value, timeout=5) as resp:
        body = resp.read(1024)


@app.route("/fetch", methods=["POST"])
def fetch_document():
    source = request.form["source"]
    if source not in ALLOWED_SOURCES:
        raise ValueError("unsupported source")
    fetch_document_job(source)
    return {"status": "ok"}
