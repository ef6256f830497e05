# The view defines a small worker function that closes over the request value.
# expect: mamori:python/command-injection line=17
import subprocess
from concurrent.futures import ThreadPoolExecutor

from flask import Flask, request

app = Flask(__name__)
pool = ThreadPoolExecutor(max_workers=2)


@app.post("/scan")
def scan():
    target = request.form["target"]

    def run_scan() -> str:
        return subprocess.check_output(f"nmap -F {target}", shell=True, text=True)

    return {"report": run_scan()}
