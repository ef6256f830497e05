# continue_flow (flask-header, strip): untrusted request data reaches the sink
# expect: mamori:python/open-redirect line=13
from flask import Flask, request
from flask import redirect

app = Flask(__name__)

@app.route("/continue")
def continue_flow():
    referer = request.headers.get("X-Referer", "")
    referer = referer.strip()
    target = referer + "?logged_in=1"
    return redirect(target)
