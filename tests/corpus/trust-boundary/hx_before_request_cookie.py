# before_request hook copies an unsigned cookie value into the signed session.
# expect: mamori:python/trust-boundary line=13
import flask
from flask import Flask, request

app = Flask(__name__)


@app.before_request
def restore_tenant():
    tenant = request.cookies.get("tenant")
    if tenant and "tenant" not in flask.session:
        flask.session["tenant"] = tenant
