# Argument list in a variable, user value is an argument: safe.
# expect: none
from flask import Flask, request

app = Flask(__name__)

import subprocess

@app.post("/archive")
def archive():
    name = request.form["name"]
    cmd = ["tar", "-czf", "/tmp/out.tgz", name]
    subprocess.run(cmd, check=True)
    return {"ok": True}
