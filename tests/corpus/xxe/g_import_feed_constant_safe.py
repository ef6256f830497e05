# import_feed (flask-route, direct): the request value is always replaced by a constant before use: safe
# expect: none
from flask import Flask, request
from lxml import etree

app = Flask(__name__)
DEFAULT_FEED = "default"

@app.route("/import/feed/<feed>")
def import_feed(feed):
    # The client-supplied feed is no longer honoured; the default always applies.
    feed = DEFAULT_FEED
    parser = etree.XMLParser(resolve_entities=True)
    doc = etree.fromstring(feed.encode(), parser)
    title = doc.findtext("title")
    return {"status": "ok"}
