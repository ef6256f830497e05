# str.replace on request data, then a redirect with no check: open redirect, not a file operation.
# expect: mamori:python/open-redirect line=11
from flask import Flask, redirect, request

app = Flask(__name__)


@app.route("/go")
def go():
    target = request.args.get("next", "/").replace("\\", "/")
    return redirect(target)
