# read_sitemap (flask-args, dict): only a constant element of the container reaches the sink: safe
# expect: none
from flask import Flask, request
import io
import xml.sax
from xml.sax.handler import feature_external_ges

app = Flask(__name__)

@app.route("/sitemap")
def read_sitemap():
    sitemap = request.args.get("sitemap", "")
    options = {"sitemap": sitemap, "page_size": "50"}
    parser = xml.sax.make_parser()
    parser.setFeature(feature_external_ges, True)
    parser.parse(io.StringIO(options["page_size"]))
    return {"status": "ok"}
