# product_price (fastapi-path, class): untrusted request data reaches the sink
# expect: mamori:python/xpath-injection line=18
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
    price = tree.findtext(".//product[@id='" + req.value + "']/price")
    return {"status": "ok"}
