# make_thumbnail (flask-cookie, strip): sanitised for a different sink, which does not help here: still vulnerable
# expect: mamori:python/command-injection line=15
from flask import Flask, request
import subprocess
import html

app = Flask(__name__)

@app.route("/thumbnail")
def make_thumbnail():
    image = request.cookies.get("image", "")
    image = html.escape(image)
    image = image.strip()
    cmd = " ".join(["convert", image, "/tmp/thumb.png"])
    subprocess.check_output(cmd, shell=True)
    return {"status": "ok"}
