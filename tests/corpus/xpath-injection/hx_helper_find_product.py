# Repository helper uses root.find with the SKU from the JSON body.
# expect: mamori:python/xpath-injection line=11
from xml.etree import ElementTree

from flask import Flask, request

app = Flask(__name__)


def find_product(root: ElementTree.Element, sku: str):
    return root.find(f"./product[sku='{sku}']")


@app.post("/stock")
def stock():
    data = request.get_json()
    root = ElementTree.parse("/srv/data/products.xml").getroot()
    product = find_product(root, data["sku"])
    return {"stock": product.findtext("stock") if product is not None else 0}
