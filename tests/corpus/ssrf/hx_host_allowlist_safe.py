# Only URLs on approved hosts are fetched.
# expect: none
from urllib.parse import urlparse

import requests
from flask import Flask, abort, request

app = Flask(__name__)
ALLOWED_HOSTS = {"images.example.com", "cdn.example.com"}


@app.get("/proxy")
def proxy():
    url = request.args.get("url", "")
    if urlparse(url).hostname not in ALLOWED_HOSTS:
        abort(403)
    return requests.get(url, timeout=5).content
