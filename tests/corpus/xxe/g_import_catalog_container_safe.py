# import_catalog (flask-values, dict): only a constant element of the container reaches the sink: safe
# expect: none
from flask import Flask, request
from lxml import etree

app = Flask(__name__)

@app.route("/catalog", methods=["GET", "POST"])
def import_catalog():
    catalog = request.values.get("catalog", "")
    options = {"catalog": catalog, "page_size": "50"}
    parser = etree.XMLParser(resolve_entities=True, load_dtd=True)
    doc = etree.XML(options["page_size"], parser)
    items = doc.findall("item")
    return {"status": "ok"}
