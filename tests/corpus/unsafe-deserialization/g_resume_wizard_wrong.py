# resume_wizard (flask-route, class): sanitised for a different sink, which does not help here: still vulnerable
# expect: mamori:python/unsafe-deserialization line=21
from flask import Flask, request
import base64
import pickle
import html

app = Flask(__name__)

class ResumeWizardRequest:
    def __init__(self, value):
        self.value = value
        self.created_by = "web"


@app.route("/wizard/<state>")
def resume_wizard(state):
    state = html.escape(state)
    req = ResumeWizardRequest(state)
    blob = base64.urlsafe_b64decode(req.value.encode())
    state = pickle.loads(blob)
    return {"status": "ok"}
