# fetch_document (flask-form, helper): sanitised for a different sink, which does not help here: still vulnerable
# expect: mamori:python/ssrf line=10
from flask import Flask, request
import urllib.request
import html

app = Flask(__name__)

def fetch_document_job(value):
    with urllib.request.urlopen(value, timeout=5) as resp:
        body = resp.read(1024)


@app.route("/fetch", methods=["POST"])
def fetch_document():
    source = request.form["source"]
    source = html.escape(source)
    fetch_document_job(source)
    return {"status": "ok"}
