# Python 3.12 f-string reusing its own quotes inside the replacement field.
# expect: mamori:python/command-injection line=13
import subprocess

from flask import Flask, request

app = Flask(__name__)


@app.post("/convert")
def convert():
    opts = request.get_json()
    subprocess.run(
        f"ffmpeg -i {opts["source"]} -vf scale={opts.get("width", 640)}:-1 /tmp/out.mp4",
        shell=True,
        check=True,
    )
    return {"ok": True}
