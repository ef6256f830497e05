# catalog_item (flask-header, dict): the tainted call sits in a branch whose condition is a constant False: safe
# expect: none
from flask import Flask, request
import xml.etree.ElementTree as ET

app = Flask(__name__)
LEGACY_MODE = False
FALLBACK = "fallback"

@app.route("/catalog/item")
def catalog_item():
    sku = request.headers.get("X-Sku", "")
    options = {"sku": sku, "page_size": "50"}
    if LEGACY_MODE:
        root = ET.parse("/srv/data/catalog.xml").getroot()
        items = root.findall(f".//item[@sku='{options["sku"]}']")
    else:
        root = ET.parse("/srv/data/catalog.xml").getroot()
        items = root.findall(f".//item[@sku='{FALLBACK}']")
    return {"status": "ok"}
