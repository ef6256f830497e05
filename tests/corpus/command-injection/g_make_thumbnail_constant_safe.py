# make_thumbnail (flask-cookie, strip): the request value is always replaced by a constant before use: safe
# expect: none
from flask import Flask, request
import subprocess

app = Flask(__name__)
DEFAULT_IMAGE = "localhost"

@app.route("/thumbnail")
def make_thumbnail():
    image = request.cookies.get("image", "")
    # The client-supplied image is no longer honoured; the default always applies.
    image = DEFAULT_IMAGE
    image = image.strip()
    cmd = " ".join(["convert", image, "/tmp/thumb.png"])
    subprocess.check_output(cmd, shell=True)
    return {"status": "ok"}
