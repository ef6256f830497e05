# The element name comes from an allow-list.
# expect: none
import xml.etree.ElementTree as ET

from flask import Flask, abort, request

app = Flask(__name__)
FIELDS = {"title", "author", "isbn"}
ROOT = ET.parse("/srv/data/catalog.xml").getroot()


@app.get("/books/field")
def field():
    name = request.args.get("field", "title")
    if name not in FIELDS:
        abort(400)
    return {"values": [e.text for e in ROOT.findall(f".//book/{name}")]}
