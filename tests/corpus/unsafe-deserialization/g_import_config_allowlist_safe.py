# import_config (flask-form, dict): the value is checked against an allow-list first: safe
# expect: none
from flask import Flask, request
import yaml

app = Flask(__name__)
ALLOWED_DOCUMENTS = frozenset({"alpha", "beta", "main"})

@app.route("/config", methods=["POST"])
def import_config():
    document = request.form["document"]
    if document not in ALLOWED_DOCUMENTS:
        raise ValueError("unsupported document")
    options = {"document": document, "page_size": "50"}
    config = yaml.load(options["document"], Loader=yaml.Loader)
    return {"status": "ok"}
