# make_thumbnail (flask-cookie, dict): only a constant element of the container reaches the sink: safe
# expect: none
from flask import Flask, request
import subprocess

app = Flask(__name__)

@app.route("/thumbnail")
def make_thumbnail():
    image = request.cookies.get("image", "")
    options = {"image": image, "page_size": "50"}
    cmd = " ".join(["convert", options["page_size"], "/tmp/thumb.png"])
    subprocess.check_output(cmd, shell=True)
    return {"status": "ok"}
