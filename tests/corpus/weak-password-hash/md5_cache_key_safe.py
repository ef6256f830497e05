# md5 as a cache key: not a security use.
# expect: none
from flask import Flask, request

app = Flask(__name__)

import hashlib

CACHE = {}

@app.route("/render")
def render():
    url = request.args.get("u", "")
    cache_key = hashlib.md5(url.encode()).hexdigest()
    return {"hit": cache_key in CACHE}
