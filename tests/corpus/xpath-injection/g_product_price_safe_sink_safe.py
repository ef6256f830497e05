# product_price (fastapi-path, class): the same data goes through the safe form of the API: safe
# expect: none
from fastapi import FastAPI
import xml.etree.ElementTree as ET

app = FastAPI()

class ProductPriceRequest:
    def __init__(self, value):
        self.value = value
        self.created_by = "web"


@app.get("/price/{product_id}")
def product_price(product_id: str):
    req = ProductPriceRequest(product_id)
    tree = ET.parse("/srv/data/products.xml")
    price = next((p.findtext("price") for p in tree.iter("product") if p.get("id") == req.value), None)
    return {"status": "ok"}
