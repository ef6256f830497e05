# resume_wizard (flask-route, class): the same data goes through the safe form of the API: safe
# expect: none
from flask import Flask, request
import base64
import pickle
import json

app = Flask(__name__)

class ResumeWizardRequest:
    def __init__(self, value):
        self.value = value
        self.created_by = "web"


@app.route("/wizard/<state>")
def resume_wizard(state):
    req = ResumeWizardRequest(state)
    blob = base64.urlsafe_b64decode(req.value.encode())
    state = json.loads(blob)
    return {"status": "ok"}
