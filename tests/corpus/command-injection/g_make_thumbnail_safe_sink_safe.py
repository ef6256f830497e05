# make_thumbnail (flask-cookie, strip): the same data goes through the safe form of the API: safe
# expect: none
from flask import Flask, request
import subprocess

app = Flask(__name__)

@app.route("/thumbnail")
def make_thumbnail():
    image = request.cookies.get("image", "")
    image = image.strip()
    subprocess.check_output(["convert", image, "/tmp/thumb.png"])
    return {"status": "ok"}
