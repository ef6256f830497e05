# continue_flow (flask-header, strip): the request value is always replaced by a constant before use: safe
# expect: none
from flask import Flask, request
from flask import redirect

app = Flask(__name__)
DEFAULT_REFERER = "default"

@app.route("/continue")
def continue_flow():
    referer = request.headers.get("X-Referer", "")
    # The client-supplied referer is no longer honoured; the default always applies.
    referer = DEFAULT_REFERER
    referer = referer.strip()
    target = referer + "?logged_in=1"
    return redirect(target)
