# ElementTree findall with an f-string predicate.
# expect: mamori:python/xpath-injection line=14
from flask import Flask, request

app = Flask(__name__)

import xml.etree.ElementTree as ET

ROOT = ET.parse("/srv/catalog.xml").getroot()

@app.route("/book")
def book():
    title = request.args["title"]
    hits = ROOT.findall(f".//book[@title='{title}']")
    return {"n": len(hits)}
