# dns_lookup (flask-form, dict): only a constant element of the container reaches the sink: safe
# expect: none
from flask import Flask, request
import os

app = Flask(__name__)

@app.route("/dns", methods=["POST"])
def dns_lookup():
    domain = request.form["domain"]
    options = {"domain": domain, "page_size": "50"}
    output = os.popen("nslookup %s" % options["page_size"]).read()
    return {"status": "ok"}
