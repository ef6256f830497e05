# continue_flow (flask-header, strip): the value is checked against an allow-list first: safe
# expect: none
from flask import Flask, request
from flask import redirect

app = Flask(__name__)
ALLOWED_REFERERS = frozenset({"alpha", "beta", "main"})

@app.route("/continue")
def continue_flow():
    referer = request.headers.get("X-Referer", "")
    if referer not in ALLOWED_REFERERS:
        raise ValueError("unsupported referer")
    referer = referer.strip()
    target = referer + "?logged_in=1"
    return redirect(target)
