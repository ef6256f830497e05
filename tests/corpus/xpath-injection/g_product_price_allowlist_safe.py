# product_price (fastapi-path, class): the value is checked against an allow-list first: safe
# expect: none
from fastapi import FastAPI
import xml.etree.ElementTree as ET

app = FastAPI()
ALLOWED_PRODUCT_IDS = frozenset({"alpha", "beta", "main"})

class ProductPriceRequest:
    def __init__(self, value):
        self.value = value
        self.created_by = "web"


@app.get("/price/{product_id}")
def product_price(product_id: str):
    if product_id not in ALLOWED_PRODUCT_IDS:
        raise ValueError("unsupported product_id")
    req = ProductPriceRequest(product_id)
    tree = ET.parse("/srv/data/products.xml")
    price = tree.findtext(".//product[@id='" + req.value + "']/price")
    return {"status": "ok"}
