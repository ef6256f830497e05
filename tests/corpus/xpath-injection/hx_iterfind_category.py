# Product catalogue filtered with iterfind and a category from a route converter.
# expect: mamori:python/xpath-injection line=14
import xml.etree.ElementTree as ET

from flask import Flask

app = Flask(__name__)
TREE = ET.parse("/srv/data/products.xml")


@app.get("/categories/<category>/products")
def products_in(category: str):
    path = ".//product[@category='{}']".format(category)
    names = [p.findtext("name") for p in TREE.getroot().iterfind(path)]
    return {"names": names}
