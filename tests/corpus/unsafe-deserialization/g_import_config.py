# import_config (flask-form, dict): untrusted request data reaches the sink
# expect: mamori:python/unsafe-deserialization line=12
from flask import Flask, request
import yaml

app = Flask(__name__)

@app.route("/config", methods=["POST"])
def import_config():
    document = request.form["document"]
    options = {"document": document, "page_size": "50"}
    config = yaml.load(options["document"], Loader=yaml.Loader)
    return {"status": "ok"}
