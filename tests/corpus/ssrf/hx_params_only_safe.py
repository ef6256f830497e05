# The query only goes into the params of a fixed API URL.
# expect: none
import requests
from flask import Flask, request

app = Flask(__name__)
GEOCODER = "https://geocode.example.com/v1/search"


@app.get("/geocode")
def geocode():
    q = request.args.get("q", "")
    resp = requests.get(GEOCODER, params={"q": q, "limit": 1}, timeout=5)
    return resp.json()
