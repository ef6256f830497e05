# SAX parser with external entities explicitly disabled.
# expect: none
import xml.sax
from xml.sax.handler import feature_external_ges, feature_external_pes

from flask import Flask, request

app = Flask(__name__)


@app.post("/import")
def import_xml():
    parser = xml.sax.make_parser()
    parser.setFeature(feature_external_ges, False)
    parser.setFeature(feature_external_pes, False)
    handler = xml.sax.ContentHandler()
    parser.setContentHandler(handler)
    parser.parse(request.files["doc"].stream)
    return {"ok": True}
