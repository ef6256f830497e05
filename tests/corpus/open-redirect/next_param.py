# Login redirects to the ?next= parameter.
# expect: mamori:python/open-redirect line=11
from flask import Flask, request

app = Flask(__name__)

from flask import redirect, url_for

@app.route("/login", methods=["POST"])
def login():
    return redirect(request.args.get("next") or url_for("index"))
