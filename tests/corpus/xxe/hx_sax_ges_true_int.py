# SAX parser with external entities enabled via setFeature(..., 1), reading the body.
# expect: mamori:python/xxe line=16
import io
import xml.sax

from flask import Flask, request

app = Flask(__name__)


@app.post("/ingest")
def ingest():
    parser = xml.sax.make_parser()
    parser.setFeature(xml.sax.handler.feature_external_ges, True)
    parser.setContentHandler(xml.sax.ContentHandler())
    parser.parse(io.BytesIO(request.get_data()))
    return {"ok": True}
