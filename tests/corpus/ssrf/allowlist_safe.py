# The host is looked up from an allow-list: safe.
# expect: none
from flask import Flask, request

app = Flask(__name__)

import requests

PARTNERS = {"acme": "https://acme.example/api", "globex": "https://globex.example/api"}

@app.route("/partner")
def partner():
    name = request.args.get("p", "acme")
    if name not in PARTNERS:
        return {"error": "unknown"}, 400
    return {"status": requests.get(PARTNERS[name], timeout=5).status_code}
