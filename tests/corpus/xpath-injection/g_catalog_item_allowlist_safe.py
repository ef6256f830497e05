# catalog_item (flask-header, dict): the value is checked against an allow-list first: safe
# expect: none
from flask import Flask, request
import xml.etree.ElementTree as ET

app = Flask(__name__)
ALLOWED_SKUS = frozenset({"alpha", "beta", "main"})

@app.route("/catalog/item")
def catalog_item():
    sku = request.headers.get("X-Sku", "")
    if sku not in ALLOWED_SKUS:
        raise ValueError("unsupported sku")
    options = {"sku": sku, "page_size": "50"}
    root = ET.parse("/srv/data/catalog.xml").getroot()
    items = root.findall(f".//item[@sku='{options["sku"]}']")
    return {"status": "ok"}
