# `if guard(x): return redirect(x)`: only the validated branch redirects: safe.
# expect: none
from urllib.parse import urlparse

from flask import Flask, redirect, request, url_for

app = Flask(__name__)


def same_host(url):
    return not urlparse(url).netloc


@app.route("/go")
def go():
    target = request.args.get("to", "")
    if same_host(target):
        return redirect(target)
    return redirect(url_for("index"))
