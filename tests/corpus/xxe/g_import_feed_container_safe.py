# import_feed (flask-route, dict): only a constant element of the container reaches the sink: safe
# expect: none
from flask import Flask, request
from lxml import etree

app = Flask(__name__)

@app.route("/import/feed/<feed>")
def import_feed(feed):
    options = {"feed": feed, "page_size": "50"}
    parser = etree.XMLParser(resolve_entities=True)
    doc = etree.fromstring(options["page_size"].encode(), parser)
    title = doc.findtext("title")
    return {"status": "ok"}
