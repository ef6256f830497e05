# import_config (flask-form, dict): the request value is always replaced by a constant before use: safe
# expect: none
from flask import Flask, request
import yaml

app = Flask(__name__)
DEFAULT_DOCUMENT = "default"

@app.route("/config", methods=["POST"])
def import_config():
    document = request.form["document"]
    # The client-supplied document is no longer honoured; the default always applies.
    document = DEFAULT_DOCUMENT
    options = {"document": document, "page_size": "50"}
    config = yaml.load(options["document"], Loader=yaml.Loader)
    return {"status": "ok"}
