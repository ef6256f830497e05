# catalog_item (flask-header, dict): the request value is always replaced by a constant before use: safe
# expect: none
from flask import Flask, request
import xml.etree.ElementTree as ET

app = Flask(__name__)
DEFAULT_SKU = "default"

@app.route("/catalog/item")
def catalog_item():
    sku = request.headers.get("X-Sku", "")
    # The client-supplied sku is no longer honoured; the default always applies.
    sku = DEFAULT_SKU
    options = {"sku": sku, "page_size": "50"}
    root = ET.parse("/srv/data/catalog.xml").getroot()
    items = root.findall(f".//item[@sku='{options["sku"]}']")
    return {"status": "ok"}
