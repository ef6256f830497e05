# Queued jobs are checked against a fixed table of hosts before they are kept; the worker
# runs only those.
# expect: none
import subprocess

from flask import Flask, request

app = Flask(__name__)

HOSTS = {"db": "10.0.0.5", "cache": "10.0.0.7"}
QUEUE = []


@app.route("/jobs", methods=["POST"])
def enqueue():
    name = request.get_json()["host"]
    if name not in HOSTS:
        return {"error": "unknown host"}, 400
    QUEUE.append(HOSTS[name])
    return {"queued": len(QUEUE)}, 202


@app.route("/jobs/run", methods=["POST"])
def run_next():
    target = QUEUE.pop(0)
    out = subprocess.run("ping -c 1 " + target, shell=True, capture_output=True, text=True)
    return {"code": out.returncode}
