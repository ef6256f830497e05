# OAuth callback redirects to the redirect_uri echoed back in the JSON-decoded state.
# expect: mamori:python/open-redirect line=16
import base64
import json

import flask
from flask import Flask, request

app = Flask(__name__)


@app.get("/oauth/callback")
def oauth_callback():
    state = json.loads(base64.urlsafe_b64decode(request.args["state"]))
    target = state.get("redirect_uri", "/")
    return flask.redirect(target)
