# Parser created inline as a keyword argument.
# expect: mamori:python/xxe line=11
from flask import Flask, request
from lxml import etree

app = Flask(__name__)


@app.post("/catalog")
def catalog():
    root = etree.fromstring(request.data, parser=etree.XMLParser(resolve_entities=True))
    return {"items": len(root)}
