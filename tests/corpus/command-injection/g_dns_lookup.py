# dns_lookup (flask-form, helper): untrusted request data reaches the sink
# expect: mamori:python/command-injection line=9
from flask import Flask, request
import os

app = Flask(__name__)

def dns_lookup_job(value):
    output = os.popen("nslookup %s" % value).read()


@app.route("/dns", methods=["POST"])
def dns_lookup():
    domain = request.form["domain"]
    dns_lookup_job(domain)
    return {"status": "ok"}
