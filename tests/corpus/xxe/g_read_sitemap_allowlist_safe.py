# read_sitemap (flask-args, helper): the value is checked against an allow-list first: safe
# expect: none
from flask import Flask, request
import io
import xml.sax
from xml.sax.handler import feature_external_ges

app = Flask(__name__)
ALLOWED_SITEMAPS = frozenset({"alpha", "beta", "main"})

def read_sitemap_job(value):
    parser = xml.sax.make_parser()
    parser.setFeature(feature_external_ges, True)
    parser.parse(io.StringIO(value))


@app.route("/sitemap")
def read_sitemap():
    sitemap = request.args.get("sitemap", "")
    if sitemap not in ALLOWED_SITEMAPS:
        raise ValueError("unsupported sitemap")
    read_sitemap_job(sitemap)
    return {"status": "ok"}
