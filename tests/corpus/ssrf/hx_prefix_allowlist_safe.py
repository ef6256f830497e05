# Only URLs under the partner API's base URL are fetched.
# expect: none
import requests
from flask import Flask, abort, request

app = Flask(__name__)
PARTNER_API = "https://partner.example.com/api/"


@app.get("/partner")
def partner():
    url = request.args.get("url", "")
    if not url.startswith("https://partner.example.com/api/"):
        abort(400)
    return requests.get(url, timeout=5).json()
