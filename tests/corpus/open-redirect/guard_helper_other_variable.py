# The guard validates a different variable than the one redirected to.
# expect: mamori:python/open-redirect line=20
from urllib.parse import urlparse

from flask import Flask, redirect, request, url_for

app = Flask(__name__)


def _is_safe_redirect(url: object) -> bool:
    parts = urlparse(str(url))
    return not parts.scheme and not parts.netloc


@app.route("/login", methods=["POST"])
def login():
    back = request.args.get("back", "/")
    target = request.args.get("next", "/")
    if _is_safe_redirect(back):
        return redirect(target)
    return redirect(url_for("index"))
