# product_price (fastapi-path, dict): only a constant element of the container reaches the sink: safe
# expect: none
from fastapi import FastAPI
import xml.etree.ElementTree as ET

app = FastAPI()

@app.get("/price/{product_id}")
def product_price(product_id: str):
    options = {"product_id": product_id, "page_size": "50"}
    tree = ET.parse("/srv/data/products.xml")
    price = tree.findtext(".//product[@id='" + options["page_size"] + "']/price")
    return {"status": "ok"}
