# Fetches a URL given by the user.
# expect: mamori:python/ssrf line=12
from flask import Flask, request

app = Flask(__name__)

import requests

@app.route("/fetch")
def fetch():
    url = request.args["url"]
    resp = requests.get(url, timeout=5)
    return {"status": resp.status_code}
