# Python 3.13 code (type parameter defaults, PEP 696): tainted name opened as a path.
# expect: mamori:python/path-traversal line=14
from pathlib import Path

from flask import Flask, request

app = Flask(__name__)

type Loader[T = str] = Callable[[Path], T]


class Store[T = bytes]:
    def read(self, name: str) -> str:
        return open(f"/srv/store/{name}").read()


@app.route("/blob")
def blob():
    return {"data": Store().read(request.args["name"])}
