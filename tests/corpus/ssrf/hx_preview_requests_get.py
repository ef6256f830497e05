# Link preview fetches whatever URL the client sends.
# expect: mamori:python/ssrf line=13
import requests
from flask import Flask, jsonify, request

app = Flask(__name__)


@app.get("/preview")
def preview():
    url = request.args["url"]
    try:
        resp = requests.get(url, timeout=5)
    except requests.RequestException as exc:
        return jsonify(error=str(exc)), 502
    return jsonify(status=resp.status_code, length=len(resp.content))
