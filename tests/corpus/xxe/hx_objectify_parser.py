# lxml.objectify with a DTD-loading, entity-resolving parser on a posted order.
# expect: mamori:python/xxe line=12
from flask import Flask, request
from lxml import etree, objectify

app = Flask(__name__)


@app.post("/orders")
def post_order():
    parser = objectify.makeparser(resolve_entities=True, load_dtd=True, no_network=False)
    order = objectify.fromstring(request.get_data(), parser)
    return {"id": str(order.id)}
