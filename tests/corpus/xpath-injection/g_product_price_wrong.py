# product_price (fastapi-path, class): sanitised for a different sink, which does not help here: still vulnerable
# expect: mamori:python/xpath-injection line=20
from fastapi import FastAPI
import xml.etree.ElementTree as ET
import shlex

app = FastAPI()

class ProductPriceRequest:
    def __init__(self, value):
        self.value = value
        self.created_by = "web"


@app.get("/price/{product_id}")
def product_price(product_id: str):
    product_id = shlex.quote(product_id)
    req = ProductPriceRequest(product_id)
    tree = ET.parse("/srv/data/products.xml")
    price = tree.findtext(".//product[@id='" + req.value + "']/price")
    return {"status": "ok"}
