# import_catalog (flask-values, class): the same data goes through the safe form of the API: safe
# expect: none
from flask import Flask, request
from lxml import etree

app = Flask(__name__)

class ImportCatalogRequest:
    def __init__(self, value):
        self.value = value
        self.created_by = "web"


@app.route("/catalog", methods=["GET", "POST"])
def import_catalog():
    catalog = request.values.get("catalog", "")
    req = ImportCatalogRequest(catalog)
    parser = etree.XMLParser(resolve_entities=False, load_dtd=False)
    doc = etree.XML(req.value, parser)
    items = doc.findall("item")
    return {"status": "ok"}
