# Webhook notifier service class posts to a URL registered by the user.
# expect: mamori:python/ssrf line=16
from dataclasses import dataclass

import requests
from flask import Flask, request

app = Flask(__name__)


@dataclass
class Notifier:
    url: str

    def send(self, event: dict) -> int:
        return requests.post(self.url, json=event, timeout=5).status_code


@app.post("/webhooks/test")
def test_webhook():
    notifier = Notifier(url=request.form["url"])
    return {"status": notifier.send({"type": "ping"})}
