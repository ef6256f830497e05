# import_feed (flask-route, direct): the same data goes through the safe form of the API: safe
# expect: none
from flask import Flask, request
from lxml import etree

app = Flask(__name__)

@app.route("/import/feed/<feed>")
def import_feed(feed):
    parser = etree.XMLParser(resolve_entities=False)
    doc = etree.fromstring(feed.encode(), parser)
    title = doc.findtext("title")
    return {"status": "ok"}
