from flask import Flask, jsonify, request
import yaml

app = Flask(__name__)


@app.post("/import")
def import_contacts():
    contacts = yaml.unsafe_load(request.get_data(as_text=True))
    return jsonify(count=len(contacts))
