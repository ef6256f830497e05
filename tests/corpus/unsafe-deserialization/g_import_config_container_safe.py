# import_config (flask-form, dict): only a constant element of the container reaches the sink: safe
# expect: none
from flask import Flask, request
import yaml

app = Flask(__name__)

@app.route("/config", methods=["POST"])
def import_config():
    document = request.form["document"]
    options = {"document": document, "page_size": "50"}
    config = yaml.load(options["page_size"], Loader=yaml.Loader)
    return {"status": "ok"}
