# Redirect target taken from a custom header set by the frontend.
# expect: mamori:python/open-redirect line=15
import logging

from flask import Flask, redirect, request

app = Flask(__name__)
log = logging.getLogger(__name__)


@app.get("/sso/callback")
def sso_callback():
    dest = request.headers.get("X-Return-Url", "/")
    log.info("sso done, going to %s", dest)
    return redirect(dest)
