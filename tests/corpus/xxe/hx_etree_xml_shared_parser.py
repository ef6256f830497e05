# Module-level permissive parser shared by a helper; the view passes the request body.
# expect: mamori:python/xxe line=11
from flask import Flask, request
from lxml import etree

app = Flask(__name__)
_PARSER = etree.XMLParser(resolve_entities=True, no_network=False)


def parse_document(raw: bytes) -> etree._Element:
    return etree.XML(raw, _PARSER)


@app.post("/documents")
def documents():
    doc = parse_document(request.data)
    return {"root": doc.tag}
