# fetch_document (flask-form, helper): the tainted call sits in a branch whose condition is a constant False: safe
# expect: none
from flask import Flask, request
import urllib.request

app = Flask(__name__)
LEGACY_MODE = False
FALLBACK = "fallback"

def fetch_document_job(value):
    with urllib.request.urlopen(value, timeout=5) as resp:
        body = resp.read(1024)


@app.route("/fetch", methods=["POST"])
def fetch_document():
    source = request.form["source"]
    if LEGACY_MODE:
        fetch_document_job(source)
    else:
        fetch_document_job(FALLBACK)
    return {"status": "ok"}
