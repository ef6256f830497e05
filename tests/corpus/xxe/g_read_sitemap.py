# read_sitemap (flask-args, helper): untrusted request data reaches the sink
# expect: mamori:python/xxe line=13
from flask import Flask, request
import io
import xml.sax
from xml.sax.handler import feature_external_ges

app = Flask(__name__)

def read_sitemap_job(value):
    parser = xml.sax.make_parser()
    parser.setFeature(feature_external_ges, True)
    parser.parse(io.StringIO(value))


@app.route("/sitemap")
def read_sitemap():
    sitemap = request.args.get("sitemap", "")
    read_sitemap_job(sitemap)
    return {"status": "ok"}
