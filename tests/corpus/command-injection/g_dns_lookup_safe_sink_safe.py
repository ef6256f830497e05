# dns_lookup (flask-form, helper): the same data goes through the safe form of the API: safe
# expect: none
from flask import Flask, request
import os
import subprocess

app = Flask(__name__)

def dns_lookup_job(value):
    output = subprocess.check_output(["nslookup", value], text=True)


@app.route("/dns", methods=["POST"])
def dns_lookup():
    domain = request.form["domain"]
    dns_lookup_job(domain)
    return {"status": "ok"}
