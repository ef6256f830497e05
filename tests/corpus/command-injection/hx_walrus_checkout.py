# Branch switcher using a walrus in the condition, shell=True on Popen.
# expect: mamori:python/command-injection line=14
import subprocess

from flask import Flask, request

app = Flask(__name__)


@app.route("/checkout", methods=["GET", "POST"])
def checkout():
    if (branch := request.values.get("branch")) is None:
        return "missing branch", 400
    proc = subprocess.Popen(f"git checkout {branch}", shell=True, cwd="/srv/app",
                            stdout=subprocess.PIPE)
    out, _ = proc.communicate()
    return out
