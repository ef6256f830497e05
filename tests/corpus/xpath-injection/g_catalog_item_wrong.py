# catalog_item (flask-header, dict): sanitised for a different sink, which does not help here: still vulnerable
# expect: mamori:python/xpath-injection line=15
from flask import Flask, request
import xml.etree.ElementTree as ET
import shlex

app = Flask(__name__)

@app.route("/catalog/item")
def catalog_item():
    sku = request.headers.get("X-Sku", "")
    sku = shlex.quote(sku)
    options = {"sku": sku, "page_size": "50"}
    root = ET.parse("/srv/data/catalog.xml").getroot()
    items = root.findall(f".//item[@sku='{options["sku"]}']")
    return {"status": "ok"}
