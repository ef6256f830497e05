# User text is passed through the environment to a constant command, not into the command line.
# expect: none
import os
import subprocess

from flask import Flask, request

app = Flask(__name__)


@app.post("/notify")
def notify():
    message = request.form.get("message", "")
    env = dict(os.environ, NOTIFY_MESSAGE=message)
    subprocess.run(["/usr/local/bin/notify-team"], env=env, check=True, timeout=30)
    return {"sent": True}
