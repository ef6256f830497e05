# A helper takes **options and builds an ffmpeg command line from them.
# expect: mamori:python/command-injection line=12
import subprocess

from flask import Flask, request

app = Flask(__name__)


def transcode(src: str, **options: str) -> int:
    flags = " ".join(f"-{k} {v}" for k, v in options.items())
    return subprocess.call(f"ffmpeg -i {src} {flags} /tmp/out.mp4", shell=True)


@app.post("/transcode")
def transcode_view():
    body = request.get_json()
    rc = transcode("/srv/in.mp4", **body.get("options", {}))
    return {"rc": rc}
