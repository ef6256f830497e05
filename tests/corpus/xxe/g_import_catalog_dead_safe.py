# import_catalog (flask-values, class): the tainted call sits in a branch whose condition is a constant False: safe
# expect: none
from flask import Flask, request
from lxml import etree

app = Flask(__name__)
LEGACY_MODE = False
FALLBACK = "fallback"

class ImportCatalogRequest:
    def __init__(self, value):
        self.value = value
        self.created_by = "web"


@app.route("/catalog", methods=["GET", "POST"])
def import_catalog():
    catalog = request.values.get("catalog", "")
    req = ImportCatalogRequest(catalog)
    if LEGACY_MODE:
        parser = etree.XMLParser(resolve_entities=True, load_dtd=True)
        doc = etree.XML(req.value, parser)
        items = doc.findall("item")
    else:
        parser = etree.XMLParser(resolve_entities=True, load_dtd=True)
        doc = etree.XML(FALLBACK, parser)
        items = doc.findall("item")
    return {"status": "ok"}
