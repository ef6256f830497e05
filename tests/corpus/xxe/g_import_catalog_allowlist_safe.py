# import_catalog (flask-values, class): the value is checked against an allow-list first: safe
# expect: none
from flask import Flask, request
from lxml import etree

app = Flask(__name__)
ALLOWED_CATALOGS = frozenset({"alpha", "beta", "main"})

class ImportCatalogRequest:
    def __init__(self, value):
        self.value = value
        self.created_by = "web"


@app.route("/catalog", methods=["GET", "POST"])
def import_catalog():
    catalog = request.values.get("catalog", "")
    if catalog not in ALLOWED_CATALOGS:
        raise ValueError("unsupported catalog")
    req = ImportCatalogRequest(catalog)
    parser = etree.XMLParser(resolve_entities=True, load_dtd=True)
    doc = etree.XML(req.value, parser)
    items = doc.findall("item")
    return {"status": "ok"}
