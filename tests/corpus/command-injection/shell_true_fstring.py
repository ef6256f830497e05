# Ping host from a query parameter through a shell.
# expect: mamori:python/command-injection line=12
from flask import Flask, request

app = Flask(__name__)

import subprocess

@app.route("/ping")
def ping():
    host = request.args.get("host", "localhost")
    out = subprocess.run(f"ping -c 1 {host}", shell=True, capture_output=True, text=True)
    return {"output": out.stdout}
