# `if not guard(x): abort(...)` with a helper that returns a netloc check: safe.
# expect: none
from urllib.parse import urlparse

from flask import Flask, abort, redirect, request

app = Flask(__name__)


def local_only(url: str) -> bool:
    return urlparse(url).netloc == "" and not url.startswith("//")


@app.route("/go")
def go():
    target = request.args["to"]
    if not local_only(target):
        abort(400)
    return redirect(target)
