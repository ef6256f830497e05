# Only the path is user-chosen, the host is fixed: safe.
# expect: none
from flask import Flask, request

app = Flask(__name__)

import requests

@app.route("/weather")
def weather():
    city = request.args.get("city", "")
    resp = requests.get(f"https://api.weather.example/v1/{city}", timeout=5)
    return {"status": resp.status_code}
