# import_config (flask-form, dict): the same data goes through the safe form of the API: safe
# expect: none
from flask import Flask, request
import yaml

app = Flask(__name__)

@app.route("/config", methods=["POST"])
def import_config():
    document = request.form["document"]
    options = {"document": document, "page_size": "50"}
    config = yaml.safe_load(options["document"])
    return {"status": "ok"}
