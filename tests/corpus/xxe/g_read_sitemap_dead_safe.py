# read_sitemap (flask-args, helper): the tainted call sits in a branch whose condition is a constant False: safe
# expect: none
from flask import Flask, request
import io
import xml.sax
from xml.sax.handler import feature_external_ges

app = Flask(__name__)
LEGACY_MODE = False
FALLBACK = "fallback"

def read_sitemap_job(value):
    parser = xml.sax.make_parser()
    parser.setFeature(feature_external_ges, True)
    parser.parse(io.StringIO(value))


@app.route("/sitemap")
def read_sitemap():
    sitemap = request.args.get("sitemap", "")
    if LEGACY_MODE:
        read_sitemap_job(sitemap)
    else:
        read_sitemap_job(FALLBACK)
    return {"status": "ok"}
