# Python 3.13 code (PEP 696): the name is reduced to its basename first: safe.
# expect: none
import os
from pathlib import Path

from flask import Flask, request

app = Flask(__name__)

type Loader[T = str] = Callable[[Path], T]


class Store[T = bytes]:
    def read(self, name: str) -> str:
        return open(f"/srv/store/{os.path.basename(name)}").read()


@app.route("/blob")
def blob():
    return {"data": Store().read(request.args["name"])}
