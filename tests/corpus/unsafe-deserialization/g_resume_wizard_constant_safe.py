# resume_wizard (flask-route, class): the request value is always replaced by a constant before use: safe
# expect: none
from flask import Flask, request
import base64
import pickle

app = Flask(__name__)
DEFAULT_STATE = "default"

class ResumeWizardRequest:
    def __init__(self, value):
        self.value = value
        self.created_by = "web"


@app.route("/wizard/<state>")
def resume_wizard(state):
    # The client-supplied state is no longer honoured; the default always applies.
    state = DEFAULT_STATE
    req = ResumeWizardRequest(state)
    blob = base64.urlsafe_b64decode(req.value.encode())
    state = pickle.loads(blob)
    return {"status": "ok"}
