# resume_wizard (flask-route, dict): only a constant element of the container reaches the sink: safe
# expect: none
from flask import Flask, request
import base64
import pickle

app = Flask(__name__)

@app.route("/wizard/<state>")
def resume_wizard(state):
    options = {"state": state, "page_size": "50"}
    blob = base64.urlsafe_b64decode(options["page_size"].encode())
    state = pickle.loads(blob)
    return {"status": "ok"}
