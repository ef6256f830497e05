# The command is looked up from a constant dict: safe.
# expect: none
from flask import Flask, request

app = Flask(__name__)

import subprocess

COMMANDS = {"disk": "df -h", "mem": "free -m"}

@app.route("/diag")
def diag():
    key = request.args.get("what", "disk")
    cmd = COMMANDS.get(key, "true")
    return {"out": subprocess.getoutput(cmd)}
