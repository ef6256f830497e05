# catalog_item (flask-header, dict): only a constant element of the container reaches the sink: safe
# expect: none
from flask import Flask, request
import xml.etree.ElementTree as ET

app = Flask(__name__)

@app.route("/catalog/item")
def catalog_item():
    sku = request.headers.get("X-Sku", "")
    options = {"sku": sku, "page_size": "50"}
    root = ET.parse("/srv/data/catalog.xml").getroot()
    items = root.findall(f".//item[@sku='{options["page_size"]}']")
    return {"status": "ok"}
