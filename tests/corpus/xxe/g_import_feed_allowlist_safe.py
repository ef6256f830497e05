# import_feed (flask-route, direct): the value is checked against an allow-list first: safe
# expect: none
from flask import Flask, request
from lxml import etree

app = Flask(__name__)
ALLOWED_FEEDS = frozenset({"alpha", "beta", "main"})

@app.route("/import/feed/<feed>")
def import_feed(feed):
    if feed not in ALLOWED_FEEDS:
        raise ValueError("unsupported feed")
    parser = etree.XMLParser(resolve_entities=True)
    doc = etree.fromstring(feed.encode(), parser)
    title = doc.findtext("title")
    return {"status": "ok"}
