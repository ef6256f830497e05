# dns_lookup (flask-form, helper): the value is sanitised for this sink first: safe
# expect: none
from flask import Flask, request
import os
import shlex

app = Flask(__name__)

def dns_lookup_job(value):
    output = os.popen("nslookup %s" % value).read()


@app.route("/dns", methods=["POST"])
def dns_lookup():
    domain = request.form["domain"]
    domain = shlex.quote(domain)
    dns_lookup_job(domain)
    return {"status": "ok"}
