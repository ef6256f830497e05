# Invoice import parses the request body with an lxml parser that resolves entities.
# expect: mamori:python/xxe line=12
from flask import Flask, request
from lxml import etree

app = Flask(__name__)


@app.post("/invoices/import")
def import_invoice():
    parser = etree.XMLParser(resolve_entities=True, load_dtd=True)
    root = etree.fromstring(request.data, parser)
    return {"number": root.findtext("number")}
