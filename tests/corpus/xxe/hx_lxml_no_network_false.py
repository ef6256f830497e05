# Helper builds a permissive lxml parser; the route feeds it the uploaded file.
# expect: mamori:python/xxe line=16
from flask import Flask, request
from lxml import etree

app = Flask(__name__)


def make_parser() -> etree.XMLParser:
    return etree.XMLParser(no_network=False, resolve_entities=True, huge_tree=True)


@app.post("/sitemaps")
def sitemap():
    upload = request.files["sitemap"]
    tree = etree.parse(upload.stream, make_parser())
    return {"urls": len(tree.getroot())}
