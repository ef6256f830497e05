# Log search: the command is assembled with " ".join and run through a shell.
# expect: mamori:python/command-injection line=14
import subprocess

from flask import Flask, request

app = Flask(__name__)


@app.get("/logs/search")
def search_logs():
    pattern = request.args.get("q", "")
    cmd = " ".join(["grep", "-i", pattern, "/var/log/app.log"])
    proc = subprocess.Popen(cmd, shell=True, stdout=subprocess.PIPE, text=True)
    return {"lines": proc.communicate()[0].splitlines()[:100]}
