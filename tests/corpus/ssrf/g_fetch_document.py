# fetch_document (flask-form, helper): untrusted request data reaches the sink
# expect: mamori:python/ssrf line=9
from flask import Flask, request
import urllib.request

app = Flask(__name__)

def fetch_document_job(value):
    with urllib.request.urlopen(value, timeout=5) as resp:
        body = resp.read(1024)


@app.route("/fetch", methods=["POST"])
def fetch_document():
    source = request.form["source"]
    fetch_document_job(source)
    return {"status": "ok"}
