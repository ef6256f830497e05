# next is only followed when it has no host or our host.
# expect: none
from urllib.parse import urlparse

from flask import Flask, abort, redirect, request

app = Flask(__name__)


@app.post("/login")
def login():
    target = request.args.get("next", "/")
    parsed = urlparse(target)
    if parsed.netloc and parsed.netloc != request.host:
        abort(400)
    return redirect(target)
