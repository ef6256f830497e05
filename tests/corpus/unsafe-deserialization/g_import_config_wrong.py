# import_config (flask-form, dict): sanitised for a different sink, which does not help here: still vulnerable
# expect: mamori:python/unsafe-deserialization line=14
from flask import Flask, request
import yaml
import html

app = Flask(__name__)

@app.route("/config", methods=["POST"])
def import_config():
    document = request.form["document"]
    document = html.escape(document)
    options = {"document": document, "page_size": "50"}
    config = yaml.load(options["document"], Loader=yaml.Loader)
    return {"status": "ok"}
