# Webhook URLs registered through the API are kept in a module-level dict; the notifier posts
# to whatever URL was registered.
# expect: mamori:python/ssrf line=23
import requests
from flask import Flask, request

app = Flask(__name__)

WEBHOOKS = {}


@app.post("/webhooks/<team>")
def register(team):
    WEBHOOKS[team] = request.get_json()["url"]
    return {"registered": team}


@app.post("/notify/<team>")
def notify(team):
    url = WEBHOOKS.get(team)
    if url is None:
        return {"error": "no webhook"}, 404
    requests.post(url, json={"event": "build.finished"}, timeout=5)
    return {"sent": True}
