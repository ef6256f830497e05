# Taint stored on self and used in the same method.
# expect: mamori:python/command-injection line=14
from flask import Flask, request

app = Flask(__name__)

import subprocess

class Job:
    def __init__(self, spec):
        self.spec = spec

    def run(self):
        return subprocess.run(self.spec, shell=True)

@app.post("/jobs")
def jobs():
    Job(request.form["spec"]).run()
    return {"ok": True}
