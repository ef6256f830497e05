# Library catalogue: ElementTree findall with a %-formatted predicate.
# expect: mamori:python/xpath-injection line=14
import xml.etree.ElementTree as ET

from flask import Flask, request

app = Flask(__name__)
CATALOG = ET.parse("/srv/data/catalog.xml").getroot()


@app.get("/books")
def books():
    author = request.args.get("author", "")
    found = CATALOG.findall(".//book[@author='%s']" % author)
    return {"titles": [b.findtext("title") for b in found]}
