# make_thumbnail (flask-cookie, strip): untrusted request data reaches the sink
# expect: mamori:python/command-injection line=13
from flask import Flask, request
import subprocess

app = Flask(__name__)

@app.route("/thumbnail")
def make_thumbnail():
    image = request.cookies.get("image", "")
    image = image.strip()
    cmd = " ".join(["convert", image, "/tmp/thumb.png"])
    subprocess.check_output(cmd, shell=True)
    return {"status": "ok"}
