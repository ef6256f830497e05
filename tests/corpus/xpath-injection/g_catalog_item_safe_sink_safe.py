# catalog_item (flask-header, dict): the same data goes through the safe form of the API: safe
# expect: none
from flask import Flask, request
import xml.etree.ElementTree as ET

app = Flask(__name__)

@app.route("/catalog/item")
def catalog_item():
    sku = request.headers.get("X-Sku", "")
    options = {"sku": sku, "page_size": "50"}
    root = ET.parse("/srv/data/catalog.xml").getroot()
    items = [i for i in root.iter("item") if i.get("sku") == options["sku"]]
    return {"status": "ok"}
