# product_price (fastapi-path, class): the tainted call sits in a branch whose condition is a constant False: safe
# expect: none
from fastapi import FastAPI
import xml.etree.ElementTree as ET

app = FastAPI()
LEGACY_MODE = False
FALLBACK = "fallback"

class ProductPriceRequest:
    def __init__(self, value):
        self.value = value
        self.created_by = "web"


@app.get("/price/{product_id}")
def product_price(product_id: str):
    req = ProductPriceRequest(product_id)
    if LEGACY_MODE:
        tree = ET.parse("/srv/data/products.xml")
        price = tree.findtext(".//product[@id='" + req.value + "']/price")
    else:
        tree = ET.parse("/srv/data/products.xml")
        price = tree.findtext(".//product[@id='" + FALLBACK + "']/price")
    return {"status": "ok"}
