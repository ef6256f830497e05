# Compiled lxml XPath object built by concatenating a route parameter.
# expect: mamori:python/xpath-injection line=12
from flask import Flask
from lxml import etree

app = Flask(__name__)
DOC = etree.parse("/srv/data/inventory.xml")


@app.get("/items/<item_id>")
def item(item_id: str):
    finder = etree.XPath("//item[@id='" + item_id + "']/price/text()")
    prices = finder(DOC)
    return {"price": prices[0] if prices else None}
