# Same-host check with urlparse before redirecting: safe.
# expect: none
from flask import Flask, request

app = Flask(__name__)

from urllib.parse import urlparse
from flask import redirect, url_for

@app.route("/login", methods=["POST"])
def login():
    target = request.args.get("next", "")
    if urlparse(target).netloc or not target.startswith("/"):
        target = url_for("index")
    return redirect(target)
