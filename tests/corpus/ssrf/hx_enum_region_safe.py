# Region selects one of the configured endpoints.
# expect: none
import requests
from flask import Flask, abort, request

app = Flask(__name__)
REGION_ENDPOINTS = {
    "eu": "https://eu.api.example.com/status",
    "us": "https://us.api.example.com/status",
}


@app.get("/status")
def status():
    region = request.args.get("region", "eu")
    if region not in REGION_ENDPOINTS:
        abort(400)
    return requests.get(REGION_ENDPOINTS[region], timeout=5).json()
