# make_thumbnail (flask-cookie, strip): the tainted call sits in a branch whose condition is a constant False: safe
# expect: none
from flask import Flask, request
import subprocess

app = Flask(__name__)
LEGACY_MODE = False
FALLBACK = "fallback"

@app.route("/thumbnail")
def make_thumbnail():
    image = request.cookies.get("image", "")
    image = image.strip()
    if LEGACY_MODE:
        cmd = " ".join(["convert", image, "/tmp/thumb.png"])
        subprocess.check_output(cmd, shell=True)
    else:
        cmd = " ".join(["convert", FALLBACK, "/tmp/thumb.png"])
        subprocess.check_output(cmd, shell=True)
    return {"status": "ok"}
