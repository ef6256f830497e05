# The program itself comes from the request.
# expect: mamori:python/command-injection line=12
from flask import Flask, request

app = Flask(__name__)

import subprocess

@app.post("/tool")
def tool():
    prog = request.json["tool"]
    result = subprocess.check_output([prog, "--version"])
    return {"version": result.decode()}
