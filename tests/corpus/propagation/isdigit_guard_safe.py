# An isdigit() guard makes the value safe.
# expect: none
# bench-rule: command-injection
from flask import Flask, request

app = Flask(__name__)

import os

@app.route("/kill")
def kill():
    pid = request.args.get("pid", "")
    if not pid.isdigit():
        return {"error": "bad pid"}, 400
    os.system("kill " + pid)
    return {"ok": True}
