# product_price (fastapi-path, class): the request value is always replaced by a constant before use: safe
# expect: none
from fastapi import FastAPI
import xml.etree.ElementTree as ET

app = FastAPI()
DEFAULT_PRODUCT_ID = "default"

class ProductPriceRequest:
    def __init__(self, value):
        self.value = value
        self.created_by = "web"


@app.get("/price/{product_id}")
def product_price(product_id: str):
    # The client-supplied product_id is no longer honoured; the default always applies.
    product_id = DEFAULT_PRODUCT_ID
    req = ProductPriceRequest(product_id)
    tree = ET.parse("/srv/data/products.xml")
    price = tree.findtext(".//product[@id='" + req.value + "']/price")
    return {"status": "ok"}
