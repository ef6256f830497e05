# dns_lookup (flask-form, helper): sanitised for a different sink, which does not help here: still vulnerable
# expect: mamori:python/command-injection line=10
from flask import Flask, request
import os
import html

app = Flask(__name__)

def dns_lookup_job(value):
    output = os.popen("nslookup %s" % value).read()


@app.route("/dns", methods=["POST"])
def dns_lookup():
    domain = request.form["domain"]
    domain = html.escape(domain)
    dns_lookup_job(domain)
    return {"status": "ok"}
