# lxml with a hardened parser: safe.
# expect: none
from flask import Flask, request

app = Flask(__name__)

from lxml import etree

@app.post("/import")
def import_xml():
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    root = etree.fromstring(request.data, parser)
    return {"items": len(root)}
