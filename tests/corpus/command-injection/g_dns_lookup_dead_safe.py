# dns_lookup (flask-form, helper): the tainted call sits in a branch whose condition is a constant False: safe
# expect: none
from flask import Flask, request
import os

app = Flask(__name__)
LEGACY_MODE = False
FALLBACK = "fallback"

def dns_lookup_job(value):
    output = os.popen("nslookup %s" % value).read()


@app.route("/dns", methods=["POST"])
def dns_lookup():
    domain = request.form["domain"]
    if LEGACY_MODE:
        dns_lookup_job(domain)
    else:
        dns_lookup_job(FALLBACK)
    return {"status": "ok"}
