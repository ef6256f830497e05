# Hostname validated with a strict full-match regex, the request is rejected otherwise.
# expect: none
import re
import subprocess

from flask import Flask, abort, request

app = Flask(__name__)
HOSTNAME = re.compile(r"[A-Za-z0-9.-]{1,253}")


@app.get("/lookup")
def lookup():
    host = request.args.get("host", "")
    if not HOSTNAME.fullmatch(host):
        abort(400)
    out = subprocess.check_output(f"nslookup {host}", shell=True)
    return out
