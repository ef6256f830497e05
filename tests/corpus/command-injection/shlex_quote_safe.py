# shlex.quote before the shell: safe.
# expect: none
from flask import Flask, request

app = Flask(__name__)

import shlex
import subprocess

@app.route("/ping")
def ping():
    host = shlex.quote(request.args.get("host", "localhost"))
    out = subprocess.run(f"ping -c 1 {host}", shell=True, capture_output=True, text=True)
    return {"output": out.stdout}
