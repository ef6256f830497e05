# A payment API token pasted into the Authorization header.
# expect: mamori:python/hardcoded-secret line=7
import requests
from flask import Flask, request

app = Flask(__name__)
API_TOKEN = "sk_live_51HxQeKJr8ZpA3m9Tq7wXy2b"


@app.post("/charge")
def charge():
    resp = requests.post(
        "https://api.payments.example.com/v1/charges",
        headers={"Authorization": f"Bearer {API_TOKEN}"},
        data={"amount": request.form["amount"]},
        timeout=10,
    )
    return resp.json()
