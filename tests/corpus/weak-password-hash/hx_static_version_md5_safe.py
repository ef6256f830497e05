# Static asset fingerprinting with md5 of the file contents.
# expect: none
import hashlib
from functools import lru_cache
from pathlib import Path

from flask import Flask, url_for

app = Flask(__name__)


@lru_cache(maxsize=256)
def asset_version(filename: str) -> str:
    content = (Path(app.static_folder or "static") / filename).read_bytes()
    return hashlib.md5(content).hexdigest()[:8]


@app.context_processor
def versioned_static():
    return {"static_v": lambda f: url_for("static", filename=f, v=asset_version(f))}
