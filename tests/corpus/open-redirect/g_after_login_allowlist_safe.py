# after_login (flask-args, direct): the value is checked against an allow-list first: safe
# expect: none
from flask import Flask, request
from flask import redirect

app = Flask(__name__)
ALLOWED_NEXTS = frozenset({"alpha", "beta", "main"})

@app.route("/login/done")
def after_login():
    next = request.args.get("next", "")
    if next not in ALLOWED_NEXTS:
        raise ValueError("unsupported next")
    return redirect(next)
