# A lambda that captures tainted data.
# expect: mamori:python/command-injection line=13
from flask import Flask, request

app = Flask(__name__)

import os

@app.route("/later")
def later():
    target = request.args["t"]
    action = lambda: "touch " + target
    os.system(action())
    return {"ok": True}
