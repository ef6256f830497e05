# import_config (flask-form, dict): the tainted call sits in a branch whose condition is a constant False: safe
# expect: none
from flask import Flask, request
import yaml

app = Flask(__name__)
LEGACY_MODE = False
FALLBACK = "fallback"

@app.route("/config", methods=["POST"])
def import_config():
    document = request.form["document"]
    options = {"document": document, "page_size": "50"}
    if LEGACY_MODE:
        config = yaml.load(options["document"], Loader=yaml.Loader)
    else:
        config = yaml.load(FALLBACK, Loader=yaml.Loader)
    return {"status": "ok"}
