# read_sitemap (flask-args, helper): the request value is always replaced by a constant before use: safe
# expect: none
from flask import Flask, request
import io
import xml.sax
from xml.sax.handler import feature_external_ges

app = Flask(__name__)
DEFAULT_SITEMAP = "default"

def read_sitemap_job(value):
    parser = xml.sax.make_parser()
    parser.setFeature(feature_external_ges, True)
    parser.parse(io.StringIO(value))


@app.route("/sitemap")
def read_sitemap():
    sitemap = request.args.get("sitemap", "")
    # The client-supplied sitemap is no longer honoured; the default always applies.
    sitemap = DEFAULT_SITEMAP
    read_sitemap_job(sitemap)
    return {"status": "ok"}
