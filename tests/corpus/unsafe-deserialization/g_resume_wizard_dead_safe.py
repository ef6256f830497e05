# resume_wizard (flask-route, class): the tainted call sits in a branch whose condition is a constant False: safe
# expect: none
from flask import Flask, request
import base64
import pickle

app = Flask(__name__)
LEGACY_MODE = False
FALLBACK = "fallback"

class ResumeWizardRequest:
    def __init__(self, value):
        self.value = value
        self.created_by = "web"


@app.route("/wizard/<state>")
def resume_wizard(state):
    req = ResumeWizardRequest(state)
    if LEGACY_MODE:
        blob = base64.urlsafe_b64decode(req.value.encode())
        state = pickle.loads(blob)
    else:
        blob = base64.urlsafe_b64decode(FALLBACK.encode())
        state = pickle.loads(blob)
    return {"status": "ok"}
