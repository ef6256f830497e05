# urllib.request.Request built from a form field, then opened.
# expect: mamori:python/ssrf line=14
import urllib.request

from flask import Flask, request

app = Flask(__name__)


@app.post("/rss/subscribe")
def subscribe():
    feed_url = request.form["feed"]
    req = urllib.request.Request(feed_url, headers={"User-Agent": "rss-bot"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        head = resp.read(512)
    return {"ok": head.startswith(b"<?xml")}
