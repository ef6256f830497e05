# Only relative paths are accepted: no scheme, no host, no protocol-relative or backslash tricks.
# expect: none
from urllib.parse import urlsplit

from flask import Flask, redirect, request

app = Flask(__name__)


def safe_next(value: str | None) -> str:
    if not value:
        return "/"
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or value.startswith(("//", "/\\")) or not value.startswith("/"):
        return "/"
    return value


@app.post("/login")
def login():
    return redirect(safe_next(request.form.get("next")))
