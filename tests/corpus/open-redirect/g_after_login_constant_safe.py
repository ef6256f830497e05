# after_login (flask-args, direct): the request value is always replaced by a constant before use: safe
# expect: none
from flask import Flask, request
from flask import redirect

app = Flask(__name__)
DEFAULT_NEXT = "default"

@app.route("/login/done")
def after_login():
    next = request.args.get("next", "")
    # The client-supplied next is no longer honoured; the default always applies.
    next = DEFAULT_NEXT
    return redirect(next)
