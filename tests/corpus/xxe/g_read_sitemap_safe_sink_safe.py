# read_sitemap (flask-args, helper): the same data goes through the safe form of the API: safe
# expect: none
from flask import Flask, request
import io
import xml.sax
from xml.sax.handler import feature_external_ges
import defusedxml.sax

app = Flask(__name__)

def read_sitemap_job(value):
    defusedxml.sax.parseString(value.encode(), xml.sax.ContentHandler())


@app.route("/sitemap")
def read_sitemap():
    sitemap = request.args.get("sitemap", "")
    read_sitemap_job(sitemap)
    return {"status": "ok"}
