# A helper whose parameter is annotated Path renames it; the caller builds it from the request.
# expect: mamori:python/path-traversal line=12
from pathlib import Path

from flask import Flask, request

app = Flask(__name__)
UPLOADS = Path("/srv/uploads")


def move(src: Path, name: str) -> None:
    src.rename(UPLOADS / "done" / name.replace(" ", "_"))


@app.route("/done", methods=["POST"])
def done():
    move(UPLOADS / request.form["file"], "x")
    return "ok"
