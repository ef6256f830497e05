# continue_flow (flask-header, strip): the tainted call sits in a branch whose condition is a constant False: safe
# expect: none
from flask import Flask, request
from flask import redirect

app = Flask(__name__)
LEGACY_MODE = False
FALLBACK = "fallback"

@app.route("/continue")
def continue_flow():
    referer = request.headers.get("X-Referer", "")
    referer = referer.strip()
    if LEGACY_MODE:
        target = referer + "?logged_in=1"
        return redirect(target)
    else:
        target = FALLBACK + "?logged_in=1"
        return redirect(target)
