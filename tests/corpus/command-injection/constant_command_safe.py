# A constant command: safe.
# expect: none
from flask import Flask, request

app = Flask(__name__)

import subprocess

@app.get("/uptime")
def uptime():
    out = subprocess.check_output("uptime", shell=True, text=True)
    return {"uptime": out.strip()}
