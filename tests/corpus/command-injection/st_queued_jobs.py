# Jobs queued through the API are kept in a module-level list; a worker endpoint runs the
# oldest one through the shell.
# expect: mamori:python/command-injection line=23
import subprocess

from flask import Flask, request

app = Flask(__name__)

QUEUE = []


@app.route("/jobs", methods=["POST"])
def enqueue():
    payload = request.get_json()
    QUEUE.append({"name": payload["name"], "target": payload["target"]})
    return {"queued": len(QUEUE)}, 202


@app.route("/jobs/run", methods=["POST"])
def run_next():
    job = QUEUE.pop(0)
    out = subprocess.run(
        "ping -c 1 " + job["target"], shell=True, capture_output=True, text=True
    )
    return {"job": job["name"], "code": out.returncode}
