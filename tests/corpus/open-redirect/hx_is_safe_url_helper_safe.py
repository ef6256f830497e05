# The classic is_safe_url snippet from the Flask docs guards the redirect.
# expect: none
from urllib.parse import urljoin, urlparse

from flask import Flask, abort, redirect, request

app = Flask(__name__)


def is_safe_url(target: str) -> bool:
    ref_url = urlparse(request.host_url)
    test_url = urlparse(urljoin(request.host_url, target))
    return test_url.scheme in ("http", "https") and ref_url.netloc == test_url.netloc


@app.post("/login")
def login():
    next_url = request.form.get("next", "/")
    if not is_safe_url(next_url):
        return abort(400)
    return redirect(next_url)
