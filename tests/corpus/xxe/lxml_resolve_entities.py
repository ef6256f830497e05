# lxml parser with resolve_entities=True on a request body.
# expect: mamori:python/xxe line=12
from flask import Flask, request

app = Flask(__name__)

from lxml import etree

@app.post("/import")
def import_xml():
    parser = etree.XMLParser(resolve_entities=True)
    root = etree.fromstring(request.data, parser)
    return {"items": len(root)}
