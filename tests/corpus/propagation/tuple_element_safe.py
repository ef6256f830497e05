# The tainted tuple element is not the one used.
# expect: none
# bench-rule: command-injection
from flask import Flask, request

app = Flask(__name__)

import os

@app.route("/pair")
def pair():
    pair = ("ls", request.args.get("dir", "."))
    os.system(pair[0])
    return {"ok": True}
