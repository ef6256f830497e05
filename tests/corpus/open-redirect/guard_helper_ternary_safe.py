# A same-host guard helper (urlparse netloc/scheme check) used in a conditional expression: safe.
# expect: none
import urllib.parse

from flask import Flask, redirect, request, url_for

app = Flask(__name__)


def _is_safe_redirect(url: object) -> bool:
    """True for a relative URL on this site: no scheme, no host, not protocol-relative."""
    if not isinstance(url, str) or not url:
        return False
    normalised = url.replace("\\", "/")
    if normalised != normalised.strip() or any(ord(c) < 32 for c in normalised):
        return False
    if normalised.startswith("//"):
        return False
    parts = urllib.parse.urlparse(normalised)
    return not parts.scheme and not parts.netloc


@app.route("/login", methods=["POST"])
def login():
    resp = redirect(request.args.get("next") if _is_safe_redirect(request.args.get("next")) else url_for("index"))
    return resp
