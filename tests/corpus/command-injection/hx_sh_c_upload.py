# Uploaded file name is passed to "sh -c" for thumbnailing.
# expect: mamori:python/command-injection line=16
import subprocess

from flask import Flask, request

app = Flask(__name__)


@app.route("/thumbs", methods=["POST"])
def make_thumb():
    upload = request.files["image"]
    name = upload.filename
    upload.save("/tmp/incoming/" + "upload.bin")
    script = f"convert /tmp/incoming/upload.bin -resize 128x128 /srv/thumbs/{name}"
    subprocess.run(["sh", "-c", script], check=True)
    return {"thumb": name}, 201
