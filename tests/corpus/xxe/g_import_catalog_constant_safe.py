# import_catalog (flask-values, class): the request value is always replaced by a constant before use: safe
# expect: none
from flask import Flask, request
from lxml import etree

app = Flask(__name__)
DEFAULT_CATALOG = "default"

class ImportCatalogRequest:
    def __init__(self, value):
        self.value = value
        self.created_by = "web"


@app.route("/catalog", methods=["GET", "POST"])
def import_catalog():
    catalog = request.values.get("catalog", "")
    # The client-supplied catalog is no longer honoured; the default always applies.
    catalog = DEFAULT_CATALOG
    req = ImportCatalogRequest(catalog)
    parser = etree.XMLParser(resolve_entities=True, load_dtd=True)
    doc = etree.XML(req.value, parser)
    items = doc.findall("item")
    return {"status": "ok"}
