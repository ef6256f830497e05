# make_thumbnail (flask-cookie, strip): the value is checked against an allow-list first: safe
# expect: none
from flask import Flask, request
import subprocess

app = Flask(__name__)
ALLOWED_IMAGES = frozenset({"alpha", "beta", "main"})

@app.route("/thumbnail")
def make_thumbnail():
    image = request.cookies.get("image", "")
    if image not in ALLOWED_IMAGES:
        raise ValueError("unsupported image")
    image = image.strip()
    cmd = " ".join(["convert", image, "/tmp/thumb.png"])
    subprocess.check_output(cmd, shell=True)
    return {"status": "ok"}
