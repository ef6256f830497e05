# Generic API relay: method and full URL come from the JSON body.
# expect: mamori:python/ssrf line=12
import requests
from flask import Flask, request

app = Flask(__name__)


@app.post("/relay")
def relay():
    spec = request.get_json()
    resp = requests.request(spec.get("method", "GET"), spec["url"], timeout=10)
    return {"status": resp.status_code}
