# os.system with a form value.
# expect: mamori:python/command-injection line=12
from flask import Flask, request

app = Flask(__name__)

import os

@app.post("/convert")
def convert():
    fmt = request.form.get("format", "pdf")
    os.system("convert upload.png out." + fmt)
    return {"ok": True}
