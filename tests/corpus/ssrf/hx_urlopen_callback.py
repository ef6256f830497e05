# Callback URL from the JSON body opened with urllib.
# expect: mamori:python/ssrf line=15
from urllib.request import urlopen

from flask import Flask, request

app = Flask(__name__)


@app.post("/jobs")
def create_job():
    body = request.get_json(force=True)
    callback = body.get("callback_url")
    if callback:
        with urlopen(callback, timeout=10) as resp:
            ack = resp.read(100)
    else:
        ack = b""
    return {"ack": ack.decode(errors="ignore")}
