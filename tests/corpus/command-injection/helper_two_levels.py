# Command built two helper calls away from the request.
# expect: mamori:python/command-injection line=13
from flask import Flask, request

app = Flask(__name__)

import subprocess

def build_cmd(path):
    return "wc -l " + path

def run(cmd):
    return subprocess.getoutput(cmd)

@app.route("/count")
def count():
    return {"lines": run(build_cmd(request.args["path"]))}
