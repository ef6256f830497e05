# str.format carries taint.
# expect: mamori:python/command-injection line=12
from flask import Flask, request

app = Flask(__name__)

import os

@app.route("/grep")
def grep():
    pattern = request.args["p"]
    os.system("grep {} /var/log/app.log".format(pattern))
    return {"ok": True}
