# lxml parser with entity resolution and network access turned off.
# expect: none
from flask import Flask, request
from lxml import etree

app = Flask(__name__)
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


@app.post("/invoices/import")
def import_invoice():
    root = etree.fromstring(request.get_data(), PARSER)
    return {"number": root.findtext("number")}
