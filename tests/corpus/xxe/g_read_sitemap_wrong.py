# read_sitemap (flask-args, helper): sanitised for a different sink, which does not help here: still vulnerable
# expect: mamori:python/xxe line=14
from flask import Flask, request
import io
import xml.sax
from xml.sax.handler import feature_external_ges
import html

app = Flask(__name__)

def read_sitemap_job(value):
    parser = xml.sax.make_parser()
    parser.setFeature(feature_external_ges, True)
    parser.parse(io.StringIO(value))


@app.route("/sitemap")
def read_sitemap():
    sitemap = request.args.get("sitemap", "")
    sitemap = html.escape(sitemap)
    read_sitemap_job(sitemap)
    return {"status": "ok"}
