# Every branch replaces the value with a constant: safe.
# expect: none
# bench-rule: command-injection
from flask import Flask, request

app = Flask(__name__)

import os

@app.route("/mode")
def mode():
    mode = request.args.get("mode", "a")
    if mode == "fast":
        cmd = "run --fast"
    else:
        cmd = "run --slow"
    os.system(cmd)
    return {"ok": True}
