# import_feed (flask-route, direct): the tainted call sits in a branch whose condition is a constant False: safe
# expect: none
from flask import Flask, request
from lxml import etree

app = Flask(__name__)
LEGACY_MODE = False
FALLBACK = "fallback"

@app.route("/import/feed/<feed>")
def import_feed(feed):
    if LEGACY_MODE:
        parser = etree.XMLParser(resolve_entities=True)
        doc = etree.fromstring(feed.encode(), parser)
        title = doc.findtext("title")
    else:
        parser = etree.XMLParser(resolve_entities=True)
        doc = etree.fromstring(FALLBACK.encode(), parser)
        title = doc.findtext("title")
    return {"status": "ok"}
