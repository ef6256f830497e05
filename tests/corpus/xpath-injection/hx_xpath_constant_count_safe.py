# Constant XPath expressions only; the user picks which precomputed count to return.
# expect: none
from flask import Flask, request
from lxml import etree

app = Flask(__name__)
DOC = etree.parse("/srv/data/orders.xml")
QUERIES = {"open": "count(//order[@status='open'])", "closed": "count(//order[@status='closed'])"}


@app.get("/orders/count")
def order_count():
    status = request.args.get("status", "open")
    return {"count": DOC.xpath(QUERIES.get(status, QUERIES["open"]))}
