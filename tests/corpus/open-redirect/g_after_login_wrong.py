# after_login (flask-args, direct): sanitised for a different sink, which does not help here: still vulnerable
# expect: mamori:python/open-redirect line=13
from flask import Flask, request
from flask import redirect
import html

app = Flask(__name__)

@app.route("/login/done")
def after_login():
    next = request.args.get("next", "")
    next = html.escape(next)
    return redirect(next)
