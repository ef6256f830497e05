# import_feed (flask-route, direct): untrusted request data reaches the sink
# expect: mamori:python/xxe line=11
from flask import Flask, request
from lxml import etree

app = Flask(__name__)

@app.route("/import/feed/<feed>")
def import_feed(feed):
    parser = etree.XMLParser(resolve_entities=True)
    doc = etree.fromstring(feed.encode(), parser)
    title = doc.findtext("title")
    return {"status": "ok"}
