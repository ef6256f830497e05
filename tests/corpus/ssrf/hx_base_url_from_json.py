# Integration test endpoint: base URL of the partner API comes from the JSON body.
# expect: mamori:python/ssrf line=10
import requests
from flask import Flask, request

app = Flask(__name__)


def ping_partner(base_url: str) -> int:
    return requests.get(f"{base_url}/api/ping", timeout=3).status_code


@app.post("/integrations/test")
def test_integration():
    cfg = request.get_json()
    return {"status": ping_partner(cfg["base_url"])}
