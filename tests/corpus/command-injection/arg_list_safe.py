# Same ping with an argument list and no shell: safe.
# expect: none
from flask import Flask, request

app = Flask(__name__)

import subprocess

@app.route("/ping")
def ping():
    host = request.args.get("host", "localhost")
    out = subprocess.run(["ping", "-c", "1", host], capture_output=True, text=True)
    return {"output": out.stdout}
