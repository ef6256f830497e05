# dns_lookup (flask-form, helper): the value is checked against an allow-list first: safe
# expect: none
from flask import Flask, request
import os

app = Flask(__name__)
ALLOWED_DOMAINS = frozenset({"alpha", "beta", "main"})

def dns_lookup_job(value):
    output = os.popen("nslookup %s" % value).read()


@app.route("/dns", methods=["POST"])
def dns_lookup():
    domain = request.form["domain"]
    if domain not in ALLOWED_DOMAINS:
        raise ValueError("unsupported domain")
    dns_lookup_job(domain)
    return {"status": "ok"}
