# xml.sax with external general entities enabled.
# expect: mamori:python/xxe line=14
from flask import Flask, request

app = Flask(__name__)

import xml.sax
from xml.sax.handler import feature_external_ges

@app.post("/feed")
def feed():
    parser = xml.sax.make_parser()
    parser.setFeature(feature_external_ges, True)
    parser.parse(request.files["feed"])
    return {"ok": True}
