# Taint through a list comprehension and join.
# expect: mamori:python/command-injection line=13
from flask import Flask, request

app = Flask(__name__)

import os

@app.route("/multi")
def multi():
    names = request.args.getlist("n")
    quoted = ["'" + n + "'" for n in names]
    os.system("echo " + " ".join(quoted))
    return {"ok": True}
