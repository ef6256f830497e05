# Python 3.12 f-string with nested quotes, but only the constant element reaches the shell.
# expect: none
import subprocess

from flask import Flask, request

app = Flask(__name__)

PRESETS = {"small": "320", "large": "1280"}


@app.post("/convert")
def convert():
    opts = {"source": request.get_json()["source"], "width": PRESETS["small"]}
    subprocess.run(f"ffmpeg -i input.mp4 -vf scale={opts["width"]}:-1 /tmp/out.mp4", shell=True, check=True)
    return {"source": f"{opts["source"]}"}
