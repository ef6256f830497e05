# import_feed (flask-route, direct): sanitised for a different sink, which does not help here: still vulnerable
# expect: mamori:python/xxe line=13
from flask import Flask, request
from lxml import etree
import html

app = Flask(__name__)

@app.route("/import/feed/<feed>")
def import_feed(feed):
    feed = html.escape(feed)
    parser = etree.XMLParser(resolve_entities=True)
    doc = etree.fromstring(feed.encode(), parser)
    title = doc.findtext("title")
    return {"status": "ok"}
