# after_login (flask-args, direct): untrusted request data reaches the sink
# expect: mamori:python/open-redirect line=11
from flask import Flask, request
from flask import redirect

app = Flask(__name__)

@app.route("/login/done")
def after_login():
    next = request.args.get("next", "")
    return redirect(next)
