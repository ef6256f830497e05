# resume_wizard (flask-route, class): the value is checked against an allow-list first: safe
# expect: none
from flask import Flask, request
import base64
import pickle

app = Flask(__name__)
ALLOWED_STATES = frozenset({"alpha", "beta", "main"})

class ResumeWizardRequest:
    def __init__(self, value):
        self.value = value
        self.created_by = "web"


@app.route("/wizard/<state>")
def resume_wizard(state):
    if state not in ALLOWED_STATES:
        raise ValueError("unsupported state")
    req = ResumeWizardRequest(state)
    blob = base64.urlsafe_b64decode(req.value.encode())
    state = pickle.loads(blob)
    return {"status": "ok"}
