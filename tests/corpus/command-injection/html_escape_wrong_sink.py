# html.escape does not protect a shell command.
# expect: mamori:python/command-injection line=13
from flask import Flask, request

app = Flask(__name__)

import html
import os

@app.post("/convert")
def convert():
    fmt = html.escape(request.form.get("format", "pdf"))
    os.popen("convert upload.png out." + fmt).read()
    return {"ok": True}
