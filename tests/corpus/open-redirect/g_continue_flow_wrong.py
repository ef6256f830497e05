# continue_flow (flask-header, strip): sanitised for a different sink, which does not help here: still vulnerable
# expect: mamori:python/open-redirect line=15
from flask import Flask, request
from flask import redirect
import html

app = Flask(__name__)

@app.route("/continue")
def continue_flow():
    referer = request.headers.get("X-Referer", "")
    referer = html.escape(referer)
    referer = referer.strip()
    target = referer + "?logged_in=1"
    return redirect(target)
