# SAX handler with external general entities switched on, parsing an uploaded file.
# expect: mamori:python/xxe line=26
import xml.sax
from xml.sax.handler import feature_external_ges

from flask import Flask, request

app = Flask(__name__)


class CountHandler(xml.sax.ContentHandler):
    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def startElement(self, name, attrs):
        self.count += 1


@app.post("/feeds")
def upload_feed():
    handler = CountHandler()
    parser = xml.sax.make_parser()
    parser.setFeature(feature_external_ges, True)
    parser.setContentHandler(handler)
    parser.parse(request.files["feed"])
    return {"elements": handler.count}
