# resume_wizard (flask-route, class): untrusted request data reaches the sink
# expect: mamori:python/unsafe-deserialization line=19
from flask import Flask, request
import base64
import pickle

app = Flask(__name__)

class ResumeWizardRequest:
    def __init__(self, value):
        self.value = value
        self.created_by = "web"


@app.route("/wizard/<state>")
def resume_wizard(state):
    req = ResumeWizardRequest(state)
    blob = base64.urlsafe_b64decode(req.value.encode())
    state = pickle.loads(blob)
    return {"status": "ok"}
