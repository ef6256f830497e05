# dns_lookup (flask-form, helper): the request value is always replaced by a constant before use: safe
# expect: none
from flask import Flask, request
import os

app = Flask(__name__)
DEFAULT_DOMAIN = "localhost"

def dns_lookup_job(value):
    output = os.popen("nslookup %s" % value).read()


@app.route("/dns", methods=["POST"])
def dns_lookup():
    domain = request.form["domain"]
    # The client-supplied domain is no longer honoured; the default always applies.
    domain = DEFAULT_DOMAIN
    dns_lookup_job(domain)
    return {"status": "ok"}
