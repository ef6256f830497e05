# `if not guard(x): x = fallback` with a helper whose body checks the host: safe.
# expect: none
from urllib.parse import urlparse

from flask import Flask, redirect, request, url_for

app = Flask(__name__)


def check_target(url):
    parsed = urlparse(url)
    if parsed.netloc and parsed.netloc != "example.com":
        return False
    return True


@app.route("/login", methods=["POST"])
def login():
    target = request.form.get("next", "")
    if not check_target(target):
        target = url_for("index")
    return redirect(target)
