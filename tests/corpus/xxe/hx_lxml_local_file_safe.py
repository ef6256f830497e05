# A permissive parser, but it only reads a bundled schema file, never request data.
# expect: none
from flask import Flask, request
from lxml import etree

app = Flask(__name__)
PARSER = etree.XMLParser(resolve_entities=True)
SCHEMA_DOC = etree.parse("/srv/app/schemas/catalog.xsd", PARSER)


@app.get("/schema/elements")
def schema_elements():
    prefix = request.args.get("prefix", "")
    names = [e.get("name") for e in SCHEMA_DOC.iter() if (e.get("name") or "").startswith(prefix)]
    return {"elements": names}
