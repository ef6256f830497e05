# import_catalog (flask-values, class): sanitised for a different sink, which does not help here: still vulnerable
# expect: mamori:python/xxe line=21
from flask import Flask, request
from lxml import etree
import html

app = Flask(__name__)

class ImportCatalogRequest:
    def __init__(self, value):
        self.value = value
        self.created_by = "web"


@app.route("/catalog", methods=["GET", "POST"])
def import_catalog():
    catalog = request.values.get("catalog", "")
    catalog = html.escape(catalog)
    req = ImportCatalogRequest(catalog)
    parser = etree.XMLParser(resolve_entities=True, load_dtd=True)
    doc = etree.XML(req.value, parser)
    items = doc.findall("item")
    return {"status": "ok"}
