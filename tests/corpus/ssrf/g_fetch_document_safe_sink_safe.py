# fetch_document (flask-form, helper): the same data goes through the safe form of the API: safe
# expect: none
from flask import Flask, request
import urllib.request

app = Flask(__name__)

def fetch_document_job(value):
    with urllib.request.urlopen("https://status.example.com/check/" + value, timeout=5) as resp:
        body = resp.read(1024)


@app.route("/fetch", methods=["POST"])
def fetch_document():
    source = request.form["source"]
    fetch_document_job(source)
    return {"status": "ok"}
