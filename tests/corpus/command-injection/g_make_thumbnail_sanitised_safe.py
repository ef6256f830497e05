# make_thumbnail (flask-cookie, strip): the value is sanitised for this sink first: safe
# expect: none
from flask import Flask, request
import subprocess
import shlex

app = Flask(__name__)

@app.route("/thumbnail")
def make_thumbnail():
    image = request.cookies.get("image", "")
    image = shlex.quote(image)
    image = image.strip()
    cmd = " ".join(["convert", image, "/tmp/thumb.png"])
    subprocess.check_output(cmd, shell=True)
    return {"status": "ok"}
