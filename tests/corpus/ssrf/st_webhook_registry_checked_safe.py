# Webhook URLs are checked against the allowed hosts before they are registered in the
# module-level dict; the notifier posts only to those.
# expect: none
from urllib.parse import urlparse

import requests
from flask import Flask, abort, request

app = Flask(__name__)

ALLOWED_HOSTS = {"hooks.slack.com", "chat.example.com"}
WEBHOOKS = {}


@app.post("/webhooks/<team>")
def register(team):
    url = request.get_json()["url"]
    if urlparse(url).hostname not in ALLOWED_HOSTS:
        abort(400)
    WEBHOOKS[team] = url
    return {"registered": team}


@app.post("/notify/<team>")
def notify(team):
    url = WEBHOOKS.get(team)
    if url is None:
        return {"error": "no webhook"}, 404
    requests.post(url, json={"event": "build.finished"}, timeout=5)
    return {"sent": True}
